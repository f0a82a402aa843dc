import type { OrderState } from '@durable-delivery/common'
import { formatRemaining, useNow } from '@durable-delivery/ui/use-now'

/**
 * What the order is waiting for and how long it may wait, from the workflow's own deadlines:
 * the customer sees the promise (refund if nobody comes) and when it falls due.
 */
export function OrderCountdown({
  state,
  pickupDeadline,
  deliveryDeadline,
  cart = false,
}: {
  state: OrderState
  pickupDeadline?: string | undefined
  deliveryDeadline?: string | undefined
  /** A cart's order waits for a driver once Ready (while Paid it waits for the restaurant). */
  cart?: boolean
}) {
  const forDriver = state === (cart ? 'Ready' : 'Paid')
  const deadline = forDriver ? pickupDeadline : state === 'Picked up' ? deliveryDeadline : undefined
  const now = useNow(deadline !== undefined)
  if (deadline === undefined) return null
  const remaining = Date.parse(deadline) - now
  if (Number.isNaN(remaining)) return null
  const waiting = forDriver ? 'Waiting for a driver' : 'On its way'
  const promise =
    remaining <= 0
      ? 'the window has closed, so your payment is being refunded'
      : forDriver
        ? `refunded in ${formatRemaining(remaining)} if nobody picks it up`
        : `refunded in ${formatRemaining(remaining)} if it is not delivered`
  // role="timer" is not announced on every tick, which a ticking live region would be.
  return (
    <p className="countdown muted" role="timer">
      {waiting} · {promise}
    </p>
  )
}
