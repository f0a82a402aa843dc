import type { MenuRouter } from '@durable-delivery/api'
import { createSiteTRPC } from '@durable-delivery/ui/site-trpc'

export const { useTRPC, SiteProviders } = createSiteTRPC<MenuRouter>()
export * from '@durable-delivery/ui/query-hooks'
