import type { DriverListRow } from '@durable-delivery/api'
import { StateBadge } from '@durable-delivery/ui/state-badge'
import { formatRemaining, useNow } from '@durable-delivery/ui/use-now'
import { SignalButton } from './signal-button'

const time = (iso: string) => new Date(iso).toLocaleTimeString()
const shortId = (orderId: string) => orderId.slice(0, 8)

/** The order's short id; a link into the Temporal Web UI where operator links are on. */
function OrderLink({ row }: { row: DriverListRow }) {
  const id = <code>{shortId(row.orderId)}</code>
  if (!row.webUiUrl) return id
  return (
    <a href={row.webUiUrl} target="_blank" rel="noreferrer" title={`Open ${row.orderId} in the Temporal Web UI`}>
      {id}
    </a>
  )
}

/** Time left before an order is refunded: for want of a driver (Paid), or of a delivery (Picked up). */
function Countdown({ deadline }: { deadline: string }) {
  const now = useNow(true)
  const remaining = Date.parse(deadline) - now
  return (
    <span className="countdown" role="timer">
      {remaining > 0 ? `${formatRemaining(remaining)} left` : 'window closed'}
    </span>
  )
}

/** The customer's stars on a delivered order. */
function Stars({ stars }: { stars: number }) {
  return (
    <span className="stars" role="img" aria-label={`Rated ${stars} of 5 stars`}>
      {'★'.repeat(stars)}
      {'☆'.repeat(5 - stars)}
    </span>
  )
}

function Row({ row, stale }: { row: DriverListRow; stale: boolean }) {
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
    <tr data-order-id={row.orderId} data-state={row.state} className={stale ? 'stale' : undefined}>
      <td>
        <OrderLink row={row} />
      </td>
      <td>{row.productName}</td>
      <td>{time(row.startedAt)}</td>
      <td>
        <StateBadge state={row.state} />
        {row.state === 'Paid' && row.pickupDeadline && <Countdown deadline={row.pickupDeadline} />}
        {row.state === 'Picked up' && row.deliveryDeadline && <Countdown deadline={row.deliveryDeadline} />}
        {row.rating !== undefined && <Stars stars={row.rating} />}
      </td>
      <td className="actions">
        {row.state === 'Paid' && <SignalButton orderId={row.orderId} orderName={orderName} action="pickUp" />}
        {row.state === 'Picked up' && <SignalButton orderId={row.orderId} orderName={orderName} action="deliver" />}
      </td>
    </tr>
  )
}

/** A section's orders, with what a driver can do to each. */
export function OrdersTable({
  rows,
  status,
  label,
  stale,
}: {
  rows: DriverListRow[]
  status: React.ReactNode
  label: string
  /** The rows could not be refreshed: shown dimmed, as of their time. */
  stale: boolean
}) {
  return (
    <table className="orders" aria-label={label}>
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
        {rows.map((row) => (
          <Row key={row.orderId} row={row} stale={stale} />
        ))}
      </tbody>
    </table>
  )
}
