import type { Operation, OperationLink, TRPCLink } from '@trpc/client'
import type { AnyTRPCRouter } from '@trpc/server'
import { observable, type Unsubscribable } from '@trpc/server/observable'

/**
 * A link whose code is fetched the first time an operation goes through it (`import()`), so a
 * page pays its bytes only once it needs it: the SSE link, with the first subscription. A failed
 * fetch fails that operation as a lost connection would; the next operation fetches again.
 */
export function lazyLink<TRouter extends AnyTRPCRouter>(load: () => Promise<TRPCLink<TRouter>>): TRPCLink<TRouter> {
  return (runtime) => {
    let loading: Promise<OperationLink<TRouter>> | undefined
    const operationLink = () =>
      (loading ??= load().then(
        (link) => link(runtime),
        (cause: unknown) => {
          loading = undefined
          throw cause
        },
      ))
    return ({ op, next }: { op: Operation; next: Parameters<OperationLink<TRouter>>[0]['next'] }) =>
      observable((observer) => {
        let subscription: Unsubscribable | undefined
        let stopped = false
        operationLink().then(
          (link) => {
            if (!stopped) subscription = link({ op, next }).subscribe(observer)
          },
          (cause: unknown) => {
            if (!stopped) observer.error(cause as never)
          },
        )
        return () => {
          stopped = true
          subscription?.unsubscribe()
        }
      })
  }
}
