import type { DriverRouter } from '@durable-delivery/api'
import { createSiteTRPC } from '@durable-delivery/ui/site-trpc'

export const { useTRPC, SiteProviders } = createSiteTRPC<DriverRouter>()
export * from '@durable-delivery/ui/query-hooks'
