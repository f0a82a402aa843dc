import type { PlacedOrder } from './order-history'
import { useInfiniteQuery, useTRPC } from './trpc'
import { yourOrdersQuery } from './your-orders-query'

/**
 * "Your orders": the customer's orders from the server (Temporal visibility, by the customer of
 * this browser's cookie), newest first, a page at a time, so they survive reloads, new tabs and
 * cleared storage. An order placed a moment ago that visibility does not list yet comes from this
 * browser's pending cache (`pending`, order-history.ts), so it never blinks out of view.
 */
export function useYourOrders(pending: PlacedOrder[]) {
  const trpc = useTRPC()
  const pages = useInfiniteQuery(yourOrdersQuery(trpc))
  const listed: PlacedOrder[] =
    pages.data?.pages.flatMap((page) =>
      page.orders.map((order) => ({
        orderId: order.orderId,
        productId: order.productId,
        placedAt: Date.parse(order.placedAt),
        lines: order.lines,
      })),
    ) ?? []
  const known = new Set(listed.map((order) => order.orderId))
  const newest = listed[0]?.placedAt ?? 0
  // Pending orders newer than the list's newest are not listed yet; older ones are on a later page.
  const unlisted = pending.filter((order) => !known.has(order.orderId) && order.placedAt >= newest)
  return { orders: [...unlisted, ...listed], pages }
}
