import { describeError, errorCode } from '@durable-delivery/api/client/errors'
import { getProductById, isFinalState } from '@durable-delivery/common'
import { useMutation, useQuery, useQueryClient, useTRPC } from '../lib/trpc'
import type { PlacedOrder } from '../lib/order-history'
import { usePlaceOrder } from '../lib/use-place-order'
import { OrderProgress } from './order-progress'

/**
 * How often a live order is asked for its state (one Query to its workflow). While paying, often:
 * the charge takes about 0.2 s, and a 400 ms poll made the customer wait for "Paid" almost a second
 * (docs/benchmarks.md, place). Only the few orders being paid poll this fast.
 */
const POLL_MS = 1_000
const PAYING_POLL_MS = 100

const time = (date: Date | number) => new Date(date).toLocaleTimeString()

/** One order of the history: live status until it is final, then Buy again. */
export function OrderLine({ order, onPlaced }: { order: PlacedOrder; onPlaced: (order: PlacedOrder) => void }) {
  const trpc = useTRPC()
  const status = useQuery(
    trpc.order.getOrderStatus.queryOptions(order.orderId, {
      // Polling stops once nothing more can happen, or once the server says there is no such order.
      refetchInterval: (query) => {
        const state = query.state.data?.state
        if (state && isFinalState(state)) return false
        if (errorCode(query.state.error) === 'NOT_FOUND') return false
        return !state || state === 'Charging card' ? PAYING_POLL_MS : POLL_MS
      },
    }),
  )
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
  return (
    <li className="order" data-order-id={order.orderId} data-state={state ?? ''}>
      {product && <img className="order-art" src={product.image} alt="" width={64} height={40} />}
      <div className="order-body">
        <div className="order-title">
          <strong>{product?.name ?? `Dish #${order.productId}`}</strong>
          <span className="muted">ordered at {time(order.placedAt)}</span>
          {state ? (
            <span className={`state state-${state.toLowerCase().replace(' ', '-')}`} role="status">
              {state}
            </span>
          ) : (
            <span className="state" role="status">
              {status.isError ? 'Unknown' : 'Loading…'}
            </span>
          )}
        </div>
        {state && <OrderProgress state={state} />}
        {data?.deliveredAt && <p className="delivered">Delivered at {time(data.deliveredAt)}</p>}
        {data?.failure && <p className="error">{data.failure}</p>}
        {state === 'Refunding' && <p className="muted">Your payment is being refunded.</p>}
        {cancel.data && <p className="muted">{cancel.data.message}</p>}
        {status.isError && <p className="error">{describeError(status.error)}</p>}
        <div className="order-actions">
          {product && (!state || isFinalState(state)) && (
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
          {(state === 'Charging card' || state === 'Paid') && !cancel.isSuccess && (
            <button
              type="button"
              className="button"
              aria-label={`Cancel ${product?.name ?? 'order'}`}
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
