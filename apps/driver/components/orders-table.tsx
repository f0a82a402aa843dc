import type { OrderRow } from '@durable-delivery/api'
import { SignalButton } from './signal-button'

const time = (date: Date) => date.toLocaleTimeString()
const shortId = (orderId: string) => orderId.slice(0, 8)

function OrderLink({ row }: { row: OrderRow }) {
  return (
    <a href={row.webUiUrl} target="_blank" rel="noreferrer" title={`Open ${row.orderId} in the Temporal Web UI`}>
      <code>{shortId(row.orderId)}</code>
    </a>
  )
}

function Row({ row }: { row: OrderRow }) {
  if (!row.ok) {
    return (
      <tr className="error-row" data-order-id={row.orderId}>
        <td>
          <OrderLink row={row} />
        </td>
        <td colSpan={2}>{time(row.startedAt)}</td>
        <td colSpan={2} className="error">
          Cannot read this order: {row.error}
        </td>
      </tr>
    )
  }
  const orderName = `order ${shortId(row.orderId)} (${row.productName})`
  return (
    <tr data-order-id={row.orderId} data-state={row.state}>
      <td>
        <OrderLink row={row} />
      </td>
      <td>{row.productName}</td>
      <td>{time(row.startedAt)}</td>
      <td>
        <span className={`badge badge-${row.state.toLowerCase().replace(' ', '-')}`}>{row.state}</span>
      </td>
      <td className="actions">
        <SignalButton orderId={row.orderId} orderName={orderName} action="pickUp" enabled={row.state === 'Paid'} />
        <SignalButton
          orderId={row.orderId}
          orderName={orderName}
          action="deliver"
          enabled={row.state === 'Picked up'}
        />
      </td>
    </tr>
  )
}

/** Every order, newest first, with what a driver can do to it. */
export function OrdersTable({ rows, status }: { rows: OrderRow[] | undefined; status: React.ReactNode }) {
  return (
    <table className="orders">
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Dish</th>
          <th scope="col">Placed</th>
          <th scope="col">State</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {status}
        {rows?.map((row) => (
          <Row key={row.orderId} row={row} />
        ))}
      </tbody>
    </table>
  )
}
