import type { OrderStatusView } from '@durable-delivery/api'
import { formatRemaining, useNow } from '@durable-delivery/ui/use-now'

/** "about 12 minutes": a kitchen's estimate, never finer than a minute. */
function aboutMinutes(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000))
  return `about ${minutes} minute${minutes === 1 ? '' : 's'}`
}

/**
 * Where a cart's order is at the restaurant: waiting for it to accept (and the promise if it does
 * not), preparing (ready in about N minutes), ready for a driver. Nothing for the seed's one dish.
 */
export function RestaurantStep({ data }: { data: OrderStatusView }) {
  const { state, restaurant, shortage } = data
  const acceptDeadline = state === 'Paid' && !shortage?.deadline ? restaurant?.acceptDeadline : undefined
  const readyBy = state === 'Preparing' ? restaurant?.readyBy : undefined
  const now = useNow(acceptDeadline !== undefined || readyBy !== undefined)
  if (data.lines === undefined || restaurant === undefined) return null
  let text: string | undefined
  if (acceptDeadline !== undefined) {
    const remaining = Date.parse(acceptDeadline) - now
    text =
      remaining > 0
        ? `Waiting for the restaurant to accept · refunded in ${formatRemaining(remaining)} if it does not`
        : 'The restaurant did not answer in time, so your payment is being refunded'
  } else if (readyBy !== undefined) {
    const remaining = Date.parse(readyBy) - now
    text =
      remaining > 0
        ? `The restaurant accepted your order and is preparing it · ready in ${aboutMinutes(remaining)}`
        : 'The restaurant is preparing your order · ready any moment now'
  } else if (state === 'Ready') {
    text = 'Ready at the restaurant · waiting for a driver'
  } else if (restaurant.declined !== undefined) {
    text = `The restaurant declined your order: ${restaurant.declined}`
  }
  if (text === undefined) return null
  // A timer, not a live region: it is not announced on every tick (the state badge is).
  return (
    <p className="restaurant-step muted" role="timer" data-restaurant-step={state}>
      {text}
    </p>
  )
}
