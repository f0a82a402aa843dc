import { useMutation, useTRPC } from './trpc'
import { newOrderId } from './order-id'
import type { PlacedOrder } from './order-history'

/**
 * Places an order for a dish. Each button calls this hook on its own, so each has its own pending
 * state; the order id is made here, once per click, and is the workflow id.
 */
export function usePlaceOrder(onPlaced: (order: PlacedOrder) => void) {
  const trpc = useTRPC()
  const mutation = useMutation(
    trpc.order.createOrder.mutationOptions({
      onSuccess: ({ orderId, productId }) => onPlaced({ orderId, productId, placedAt: Date.now() }),
    }),
  )
  return { ...mutation, place: (productId: number) => mutation.mutate({ productId, orderId: newOrderId() }) }
}
