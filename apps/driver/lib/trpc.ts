import type { DriverRouter } from '@durable-delivery/api'
import { createSiteTRPC } from '@durable-delivery/api/client/site-trpc'

export const { useTRPC, SiteProviders } = createSiteTRPC<DriverRouter>()
export {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  useSubscription,
} from '@durable-delivery/api/client/site-trpc'
