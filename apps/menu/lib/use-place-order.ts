import { useRef } from 'react'
import type { CartItem, TipChoice } from '@durable-delivery/common'
import { newOrderId } from './order-id'
import type { PlacedOrder } from './order-history'
import { useMutation, useQueryClient, useTRPC } from './trpc'

/**
 * Places an order for a dish, or a cart with its tip. Each button calls this hook on its own, so each has its own pending
 * state. The order id (the workflow id) is made on the first click and kept until the server
 * confirms: if an answer is lost on the way back, clicking again asks for the same order, which
 * the server recognises, instead of ordering twice.
 */
export function usePlaceOrder(onPlaced: (order: PlacedOrder) => void) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const attempt = useRef<{ what: string; orderId: string } | undefined>(undefined)
  const mutation = useMutation(trpc.order.createOrder.mutationOptions())
  const send = (order: { productId: number } | { items: CartItem[]; tip: TipChoice }, onDone?: () => void) => {
    const what = JSON.stringify(order)
    if (attempt.current?.what !== what) attempt.current = { what, orderId: newOrderId() }
    mutation.mutate(
      { ...order, orderId: attempt.current.orderId },
      {
        onSuccess: ({ orderId, productId, status, lines }) => {
          attempt.current = undefined
          // The charge usually settles before the answer: the card opens on Paid, no round trip more.
          if (status) queryClient.setQueryData(trpc.order.getOrderStatus.queryKey(orderId), status)
          onPlaced({ orderId, productId, placedAt: Date.now(), ...(lines ? { lines } : {}) })
          onDone?.()
        },
      },
    )
  }
  return {
    ...mutation,
    place: (productId: number) => send({ productId }),
    placeCart: (items: CartItem[], tip: TipChoice, onDone?: () => void) => send({ items, tip }, onDone),
  }
}
