import type { DriverListRow } from '@durable-delivery/api'
import { formatCents } from '@durable-delivery/common'
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

/** When the restaurant expects a cart ready: "ready in about 4 min", a kitchen's estimate. */
function ReadyIn({ readyBy }: { readyBy: string }) {
  const now = useNow(true)
  const minutes = Math.ceil((Date.parse(readyBy) - now) / 60_000)
  return (
    <span className="countdown" role="timer">
      {minutes > 0 ? `ready in about ${minutes} min` : 'ready any moment'}
    </span>
  )
}

/** What the driver carries: the seed's one dish, or a cart's lines, and the tip that comes with it. */
function Dishes({ row }: { row: Extract<DriverListRow, { ok: true }> }) {
  if (!row.lines) return <>{row.productName}</>
  return (
    <>
      <ul className="dishes-list">
        {row.lines.map((line) => (
          <li key={line.productId}>
            {line.quantity} × {line.name}
          </li>
        ))}
      </ul>
      {row.tipCents !== undefined && row.tipCents > 0 && <span className="tip">Tip {formatCents(row.tipCents)}</span>}
    </>
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
  const dishes = row.lines ? row.lines.map((line) => `${line.quantity} × ${line.name}`).join(', ') : row.productName
  const orderName = `order ${shortId(row.orderId)} (${dishes})`
  // A cart is collected once the restaurant has it ready; until then Pick up shows, disabled.
  const inKitchen = row.lines !== undefined && (row.state === 'Paid' || row.state === 'Preparing')
  return (
    <tr data-order-id={row.orderId} data-state={row.state} className={stale ? 'stale' : undefined}>
      <td>
        <OrderLink row={row} />
      </td>
      <td>
        <Dishes row={row} />
      </td>
      <td>{time(row.startedAt)}</td>
      <td>
        <StateBadge state={row.state} />
        {row.pickable && row.pickupDeadline && <Countdown deadline={row.pickupDeadline} />}
        {row.state === 'Preparing' &&
          (row.readyBy ? <ReadyIn readyBy={row.readyBy} /> : <span className="countdown">being prepared</span>)}
        {row.state === 'Paid' && inKitchen && <span className="countdown">waiting for the restaurant</span>}
        {row.state === 'Picked up' && row.deliveryDeadline && <Countdown deadline={row.deliveryDeadline} />}
        {row.rating !== undefined && <Stars stars={row.rating} />}
      </td>
      <td className="actions">
        {(row.pickable || inKitchen) && (
          <SignalButton
            orderId={row.orderId}
            orderName={orderName}
            action="pickUp"
            {...(row.pickable ? {} : { notYet: 'Not ready yet: the restaurant is preparing it' })}
          />
        )}
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
          <th scope="col">Dishes</th>
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
