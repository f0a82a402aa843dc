import { useRef } from 'react'
import { newOrderId } from './order-id'
import type { PlacedOrder } from './order-history'
import { useMutation, useTRPC } from './trpc'

/**
 * Places an order for a dish. Each button calls this hook on its own, so each has its own pending
 * state. The order id (the workflow id) is made on the first click and kept until the server
 * confirms: if an answer is lost on the way back, clicking again asks for the same order, which
 * the server recognises, instead of ordering twice.
 */
export function usePlaceOrder(onPlaced: (order: PlacedOrder) => void) {
  const trpc = useTRPC()
  const attempt = useRef<string | undefined>(undefined)
  const mutation = useMutation(trpc.order.createOrder.mutationOptions())
  return {
    ...mutation,
    place: (productId: number) => {
      attempt.current ??= newOrderId()
      mutation.mutate(
        { productId, orderId: attempt.current },
        {
          onSuccess: ({ orderId, productId }) => {
            attempt.current = undefined
            onPlaced({ orderId, productId, placedAt: Date.now() })
          },
        },
      )
    },
  }
}
