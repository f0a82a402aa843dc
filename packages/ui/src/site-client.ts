import type { Operation, TRPCClientError, TRPCUntypedClient } from '@trpc/client'
import type { TRPCConnectionState } from '@trpc/client/unstable-internals'
import { httpBatchLink } from '@trpc/client/links/httpBatchLink'
import { splitLink } from '@trpc/client/links/splitLink'
import type { AnyTRPCRouter } from '@trpc/server'
import { observableToPromise, share } from '@trpc/server/observable'
import type { AppRouter } from '@durable-delivery/api'
import { MAX_BATCH_SIZE } from '@durable-delivery/api/batch-limit'
import { lazyLink } from './lazy-link'

/** The three calls the procedure options make (procedure-options.ts). */
export type SiteClient<TRouter extends AnyTRPCRouter> = Pick<
  TRPCUntypedClient<TRouter>,
  'query' | 'mutation' | 'subscription'
>

type Handlers = {
  onStarted?: () => void
  onData?: (data: unknown) => void
  onError?: (error: TRPCClientError<AppRouter>) => void
  onConnectionStateChange?: (change: TRPCConnectionState<TRPCClientError<AppRouter>>) => void
}

/**
 * The sites' tRPC client: `createTRPCUntypedClient`'s query, mutation and subscription over our
 * links, taken from the links' own entry points. '@trpc/client' itself would bring every link
 * (SSE, WebSocket) to the first load, since a bundler must keep what a package without
 * `sideEffects: false` might need. Subscriptions are pushed over SSE, by a link fetched with the
 * first one; queries and mutations are batched, at most the server's cap (MAX_BATCH_SIZE) a request.
 */
export function createSiteClient<TRouter extends AnyTRPCRouter>(): SiteClient<TRouter> {
  const link = splitLink<AppRouter>({
    condition: (op) => op.type === 'subscription',
    true: lazyLink(() => import('./subscription-link').then((module) => module.subscriptionLink)),
    false: httpBatchLink<AppRouter>({ url: '/api', maxItems: MAX_BATCH_SIZE }),
  })({})
  let lastId = 0
  const request = (type: Operation['type'], path: string, input: unknown, signal?: AbortSignal | null) =>
    link({
      op: { id: ++lastId, type, path, input, context: {}, signal: signal ?? null },
      next: () => {
        throw new Error('The split link ends every operation')
      },
    }).pipe(share())
  const answer = async (type: 'query' | 'mutation', path: string, input: unknown, signal?: AbortSignal) => {
    const envelope = await observableToPromise(request(type, path, input, signal))
    return 'data' in envelope.result ? envelope.result.data : undefined
  }
  const client = {
    query: (path: string, input: unknown, options?: { signal?: AbortSignal }) =>
      answer('query', path, input, options?.signal),
    mutation: (path: string, input: unknown) => answer('mutation', path, input),
    subscription: (path: string, input: unknown, handlers: Handlers) =>
      request('subscription', path, input).subscribe({
        next: ({ result }) => {
          if (result.type === 'state') handlers.onConnectionStateChange?.(result)
          else if (result.type === 'started') handlers.onStarted?.()
          else if (result.type === 'data' || result.type === undefined) handlers.onData?.(result.data)
        },
        error: (error) => handlers.onError?.(error),
      }),
  }
  // Untyped underneath, as createTRPCUntypedClient's are: the procedure options type each call.
  return client
}
