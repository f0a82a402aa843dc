import type { useTRPC } from './trpc'

/**
 * The query of "Your orders" (its key and paging), in a module of its own: the page prefetches it
 * on its first load, and the list (use-your-orders.ts, loaded after) reads it.
 */
export function yourOrdersQuery(trpc: ReturnType<typeof useTRPC>) {
  return trpc.order.myOrders.infiniteQueryOptions(
    {},
    // The list mounts over the page's prefetch, whose fetch is its first read: no second one.
    { getNextPageParam: (page) => page.nextCursor, refetchOnWindowFocus: true, refetchOnMount: false },
  )
}
