import { useRef } from 'react'
import { newOrderId } from './order-id'
import type { PlacedOrder } from './order-history'
import { useMutation, useQueryClient, useTRPC } from './trpc'

/**
 * Places an order for a dish. Each button calls this hook on its own, so each has its own pending
 * state. The order id (the workflow id) is made on the first click and kept until the server
 * confirms: if an answer is lost on the way back, clicking again asks for the same order, which
 * the server recognises, instead of ordering twice.
 */
export function usePlaceOrder(onPlaced: (order: PlacedOrder) => void) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const attempt = useRef<string | undefined>(undefined)
  const mutation = useMutation(trpc.order.createOrder.mutationOptions())
  return {
    ...mutation,
    place: (productId: number) => {
      attempt.current ??= newOrderId()
      mutation.mutate(
        { productId, orderId: attempt.current },
        {
          onSuccess: ({ orderId, productId, status }) => {
            attempt.current = undefined
            // The charge usually settles before the answer: the card opens on Paid, no round trip more.
            if (status) queryClient.setQueryData(trpc.order.getOrderStatus.queryKey(orderId), status)
            onPlaced({ orderId, productId, placedAt: Date.now() })
          },
        },
      )
    },
  }
}
