import type { AnyRouter } from '@trpc/server'
import { createNextApiHandler } from '@trpc/server/adapters/next'
import { errorMessage } from '@durable-delivery/common'
import { MAX_BATCH_SIZE } from './batch-limit'
import { createRequestContext, type Site } from './context'

/**
 * The whole of a site's `pages/api/[trpc].ts`: the router over the shared Temporal Client, with
 * who is asking from the request's cookies. Server errors are logged with their cause (which may
 * name addresses or configuration: the answer does not); client errors stay quiet.
 */
export function createSiteApiHandler<TRouter extends AnyRouter>(router: TRouter, site: Site) {
  return createNextApiHandler({
    router,
    maxBatchSize: MAX_BATCH_SIZE,
    // The routes turn Next's body parser off (their `config`); this is its default limit.
    maxBodySize: 1024 * 1024,
    createContext: ({ req, res }) => createRequestContext(site, req, res),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR' || error.code === 'SERVICE_UNAVAILABLE') {
        const cause =
          error.cause && error.cause.message !== error.message ? ` (cause: ${errorMessage(error.cause)})` : ''
        console.error(`tRPC ${path ?? '?'}: ${error.code}: ${error.message}${cause}`)
      }
    },
  })
}
