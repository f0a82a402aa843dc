import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { createTRPCUntypedClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client'
import { createContext, useContext, useState, type ReactNode } from 'react'
import type { AppRouter, DriverRouter, MenuRouter } from '@durable-delivery/api'
import { MAX_BATCH_SIZE } from '@durable-delivery/api/batch-limit'
import { errorCode } from './errors'
import { createProcedureOptions, type ProcedureOptions } from './procedure-options'

/**
 * The tRPC + React Query wiring both sites share, typed by the router a site serves
 * (`createSiteTRPC<MenuRouter>()`). Router *types* only come from the API (and its browser-safe
 * batch cap), so nothing of the server (Temporal, config) reaches a page bundle.
 */
export function createSiteTRPC<TRouter extends MenuRouter | DriverRouter | AppRouter>() {
  const TRPCContext = createContext<ProcedureOptions<TRouter> | null>(null)

  /** The procedures' React Query options: `useTRPC().order.getOrderStatus.queryOptions(orderId)`. */
  function useTRPC(): ProcedureOptions<TRouter> {
    const trpc = useContext(TRPCContext)
    if (!trpc) throw new Error('useTRPC() needs the SiteProviders above it (pages/_app.tsx)')
    return trpc
  }

  function SiteProviders({ children }: { children: ReactNode }) {
    // One per browser tab (useState), never shared across server renders.
    const [queryClient] = useState(
      () =>
        new QueryClient({
          defaultOptions: {
            queries: { retry: retryOnlyTransient, refetchOnWindowFocus: false },
            mutations: { retry: false },
          },
        }),
    )
    const [trpc] = useState(() =>
      createProcedureOptions(
        // Every router comes from the one initTRPC (plain JSON), which TypeScript cannot see through
        // the type parameter: the link is typed for AppRouter and narrowed here.
        createTRPCUntypedClient<TRouter>({
          links: [
            // Subscriptions are pushed over SSE (one EventSource each, resumed by event id after a
            // reconnect); queries and mutations stay batched over plain HTTP, at most the server's
            // batch cap (MAX_BATCH_SIZE) per request.
            splitLink<AppRouter>({
              condition: (op) => op.type === 'subscription',
              true: httpSubscriptionLink<AppRouter, typeof EventSource>({ url: '/api' }),
              false: httpBatchLink<AppRouter>({ url: '/api', maxItems: MAX_BATCH_SIZE }),
            }) as TRPCLink<TRouter>,
          ],
        }),
      ),
    )
    return (
      <QueryClientProvider client={queryClient}>
        <TRPCContext value={trpc}>{children}</TRPCContext>
      </QueryClientProvider>
    )
  }

  return { useTRPC, SiteProviders }
}

/**
 * An answer with a code (bad input, not found, Temporal unavailable) is shown at once: retrying
 * would only hide it for seconds. A lost request is retried twice.
 */
function retryOnlyTransient(failureCount: number, error: unknown): boolean {
  return errorCode(error) === undefined && failureCount < 2
}
