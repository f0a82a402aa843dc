import type { AnyRouter } from '@trpc/server'
import { createNextApiHandler } from '@trpc/server/adapters/next'
import { createRequestContext } from './context'

/**
 * The whole of a site's `pages/api/[trpc].ts`: the router over the shared Temporal Client.
 * Server errors are logged with their cause; client errors (bad input, wrong state) are the
 * caller's business and stay quiet.
 */
export function createSiteApiHandler<TRouter extends AnyRouter>(router: TRouter) {
  return createNextApiHandler({
    router,
    createContext: createRequestContext,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR' || error.code === 'SERVICE_UNAVAILABLE') {
        console.error(`tRPC ${path ?? '?'}: ${error.code}: ${error.message}`)
      }
    },
  })
}
