import { useRef } from 'react'
import type { CartItem, TipChoice } from '@durable-delivery/common'
import { newOrderId } from './order-id'
import type { PlacedOrder } from './order-history'
import { useMutation, useQueryClient, useTRPC } from './trpc'

/**
 * Places the cart with its tip, as usePlaceOrder places a dish: the order id is made on the first
 * click and kept until the server confirms, so a click again after a lost answer asks for the same
 * order. A cart changed meanwhile is another order, with an id of its own (the server would
 * otherwise refuse it as a CONFLICT).
 */
export function usePlaceCart(onPlaced: (order: PlacedOrder) => void) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const attempt = useRef<{ cart: string; orderId: string } | undefined>(undefined)
  const mutation = useMutation(trpc.order.createOrder.mutationOptions())
  return {
    ...mutation,
    place: (items: CartItem[], tip: TipChoice, onDone: () => void) => {
      const cart = JSON.stringify({ items, tip })
      if (attempt.current?.cart !== cart) attempt.current = { cart, orderId: newOrderId() }
      mutation.mutate(
        { orderId: attempt.current.orderId, items, tip },
        {
          onSuccess: ({ orderId, productId, status, lines }) => {
            attempt.current = undefined
            if (status) queryClient.setQueryData(trpc.order.getOrderStatus.queryKey(orderId), status)
            onPlaced({ orderId, productId, placedAt: Date.now(), ...(lines ? { lines } : {}) })
            onDone()
          },
        },
      )
    },
  }
}
