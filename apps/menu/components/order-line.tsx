import { describeError, errorCode } from '@durable-delivery/ui/errors'
import { describeLines, getProductById, isFinalState } from '@durable-delivery/common'
import { fillCart } from '../lib/cart-store'
import { useMutation, useQueryClient, useTRPC } from '../lib/trpc'
import type { PlacedOrder } from '../lib/order-history'
import { StateBadge } from '@durable-delivery/ui/state-badge'
import { useNow } from '@durable-delivery/ui/use-now'
import { useOrderStatus } from '../lib/use-order-status'
import { usePlaceOrder } from '../lib/use-place-order'
import { OrderCountdown } from './order-countdown'
import { OrderMoney } from './order-money'
import { OrderProgress } from './order-progress'
import { GivenRating, RateOrder } from './order-rating'
import { OrderTimeline } from './order-timeline'
import { OrderWaiting } from './order-waiting'
import { RestaurantStep } from './restaurant-step'
import { ShortageQuestion } from './shortage-question'

const time = (at: string | number) => new Date(at).toLocaleTimeString()

/**
 * Trouble that passes by itself: Temporal or the Worker not answering in time, or the site's
 * server not reached. The order is durable; the card says so instead of showing an error.
 */
function isPassing(error: unknown): boolean {
  const code = errorCode(error)
  return code === undefined || code === 'SERVICE_UNAVAILABLE' || code === 'TIMEOUT' || code === 'GATEWAY_TIMEOUT'
}

/** One order of the history: live status until it is final, then Buy again. */
export function OrderLine({ order, onPlaced }: { order: PlacedOrder; onPlaced: (order: PlacedOrder) => void }) {
  const trpc = useTRPC()
  // Pushed over SSE while the order can still change; polled only where that is not possible.
  const status = useOrderStatus(order.orderId)
  const again = usePlaceOrder(onPlaced)
  const queryClient = useQueryClient()
  // The workflow decides (its validator): the answer or the refusal is shown as it comes.
  const cancel = useMutation(
    trpc.order.cancelOrder.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.order.getOrderStatus.queryKey(order.orderId) }),
    }),
  )
  const product = getProductById(order.productId)
  const data = status.data
  const state = data?.state
  // A cart's order (placed with lines) takes the restaurant's step; the seed's one dish does not.
  const lines = data?.lines ?? (Array.isArray(order.lines) ? order.lines : undefined)
  const cart = lines !== undefined
  const title = lines ? describeLines(lines) : (product?.name ?? `Dish #${order.productId}`)
  const shortage =
    data?.shortage?.deadline !== undefined && data.shortage.outcome === undefined ? data.shortage : undefined
  // Only while something can still happen: a closed order has nothing to continue.
  const waiting =
    !(state && isFinalState(state)) &&
    (data?.fromSearchAttributes === true || (status.error !== null && isPassing(status.error)))
  // Offered while the workflow says a rating is still accepted (its window); it decides in the end.
  const ratingDeadline = state === 'Delivered' && data?.rating === undefined ? data?.ratingDeadline : undefined
  const now = useNow(ratingDeadline !== undefined)
  const ratingOpen = ratingDeadline !== undefined && Date.parse(ratingDeadline) > now
  return (
    <li className="order" data-order-id={order.orderId} data-state={state ?? ''}>
      {product && <img className="order-art" src={product.image} alt="" width={64} height={40} />}
      <div className="order-body">
        <div className="order-title">
          <strong>{title}</strong>
          <span className="muted">ordered at {time(order.placedAt)}</span>
          <StateBadge state={state} role="status">
            {state ?? (status.error ? 'Unknown' : 'Loading…')}
          </StateBadge>
        </div>
        {state && <OrderProgress state={state} cart={cart} />}
        {waiting ? (
          <OrderWaiting hasState={state !== undefined} />
        ) : (
          state && (
            <OrderCountdown
              state={state}
              pickupDeadline={data?.pickupDeadline}
              deliveryDeadline={data?.deliveryDeadline}
              cart={cart}
            />
          )
        )}
        {data && !waiting && <RestaurantStep data={data} />}
        {shortage && <ShortageQuestion orderId={order.orderId} shortage={shortage} />}
        {data && <OrderMoney data={data} />}
        {data?.deliveredAt && <p className="delivered">Delivered at {time(data.deliveredAt)}</p>}
        {data?.failure && <p className="error">{data.failure}</p>}
        {state === 'Refunding' && <p className="muted">Your payment is being refunded.</p>}
        {cancel.data && <p className="muted">{cancel.data.message}</p>}
        {status.error && !waiting && <p className="error">{describeError(status.error)}</p>}
        <OrderTimeline notifications={data?.notifications} />
        {data?.rating ? (
          <GivenRating rating={data.rating} />
        ) : (
          ratingOpen && (
            <RateOrder orderId={order.orderId} dish={cart ? 'order' : (product?.name ?? 'meal')} canTip={cart} />
          )
        )}
        <div className="order-actions">
          {lines && (!state || isFinalState(state)) && (
            <button
              type="button"
              className="button"
              aria-label={`Order again: put ${title} in the cart`}
              onClick={() => fillCart(lines)}
            >
              Order again
            </button>
          )}
          {!cart && product && (!state || isFinalState(state)) && (
            <button
              type="button"
              className="button"
              aria-label={`Buy again: ${product.name}`}
              aria-busy={again.isPending}
              disabled={again.isPending}
              onClick={() => again.place(product.id)}
            >
              {again.isPending ? 'Ordering…' : 'Buy again'}
            </button>
          )}
          {/* Only before pickup: after that the order is on its way and the workflow would refuse. */}
          {(state === 'Charging card' || state === 'Paid') && !shortage && !cancel.isSuccess && (
            <button
              type="button"
              className="button"
              aria-label={`Cancel ${cart ? 'order' : (product?.name ?? 'order')}`}
              aria-busy={cancel.isPending}
              disabled={cancel.isPending}
              onClick={() => cancel.mutate({ orderId: order.orderId })}
            >
              {cancel.isPending ? 'Cancelling…' : 'Cancel'}
            </button>
          )}
          {data?.webUiUrl && (
            <a className="ops-link" href={data.webUiUrl} target="_blank" rel="noreferrer">
              Open in Temporal
            </a>
          )}
        </div>
        {again.isError && <p className="error">{describeError(again.error)}</p>}
        {cancel.isError && <p className="error">{describeError(cancel.error)}</p>}
      </div>
    </li>
  )
}
