import { describeError } from '@durable-delivery/api/client/errors'
import { useQuery, useTRPC } from '../lib/trpc'
import { OrdersTable } from '../components/orders-table'

/** How often the list is refreshed: one visibility query for all orders. */
const REFRESH_MS = 2_000

export default function DriverPage() {
  const trpc = useTRPC()
  const orders = useQuery(trpc.delivery.getOrders.queryOptions(undefined, { refetchInterval: REFRESH_MS }))
  const rows = orders.data
  let status: React.ReactNode = null
  if (orders.isError) {
    // Shown above the last list we had, if any: a failed refresh does not empty the table.
    status = (
      <tr className="status-row error-row">
        <td colSpan={5} role="alert">
          {describeError(orders.error)}
        </td>
      </tr>
    )
  } else if (orders.isPending) {
    status = (
      <tr className="status-row">
        <td colSpan={5}>Loading orders…</td>
      </tr>
    )
  } else if (rows?.length === 0) {
    status = (
      <tr className="status-row empty">
        <td colSpan={5}>No orders yet. Orders placed on the menu show up here.</td>
      </tr>
    )
  }
  return (
    <main className="page">
      <header className="masthead">
        <h1>Driver portal</h1>
        <p className="muted">Pick up paid orders and deliver them. The list refreshes every few seconds.</p>
      </header>
      <OrdersTable rows={rows} status={status} />
    </main>
  )
}
