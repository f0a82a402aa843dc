import { describeError } from '@durable-delivery/ui/errors'
import { Pager } from '@durable-delivery/ui/pager'
import type { PlacedOrder } from '../lib/order-history'
import { useYourOrders } from '../lib/use-your-orders'
import { OrderLine } from './order-line'

/** The body of "Your orders" under its heading: the list, its paging and what it says while there is none. */
export function YourOrders({ pending, onPlaced }: { pending: PlacedOrder[]; onPlaced: (order: PlacedOrder) => void }) {
  const { orders, pages } = useYourOrders(pending)
  return (
    <>
      {pages.isError && orders.length === 0 && (
        <p className="muted">Your earlier orders cannot be listed right now ({describeError(pages.error)}).</p>
      )}
      {orders.length === 0 ? (
        !pages.isError && (
          <p className="muted empty">{pages.isPending ? 'Loading…' : 'No orders yet. Pick a dish above.'}</p>
        )
      ) : (
        <ul className="orders">
          {orders.map((order) => (
            <OrderLine key={order.orderId} order={order} onPlaced={onPlaced} />
          ))}
        </ul>
      )}
      <Pager pages={pages} label="Show older orders" />
    </>
  )
}
