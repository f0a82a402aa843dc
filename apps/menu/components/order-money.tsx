import { formatCents } from '@durable-delivery/common'
import type { OrderStatusView } from '@durable-delivery/api'

/**
 * A cart's money as the workflow says it: the lines' subtotal (after any shortage), the tip, what
 * was charged at checkout, the extra tip added with the rating, and what was given back.
 */
export function OrderMoney({ data }: { data: OrderStatusView }) {
  if (data.lines === undefined) return null
  const rows: [string, string, number][] = [
    ['subtotal', 'Subtotal', data.subtotalCents ?? 0],
    ['tip', data.tip?.percent === undefined ? 'Tip' : `Tip (${data.tip.percent} %)`, data.tip?.cents ?? 0],
  ]
  if (data.cents !== undefined) rows.push(['total', 'Charged', data.cents])
  if (data.extraTipCents) rows.push(['extra-tip', 'Extra tip', data.extraTipCents])
  if (data.refundedCents) rows.push(['refunded', 'Refunded', data.refundedCents])
  return (
    <dl className="money">
      {rows.map(([key, label, cents]) => (
        <div key={key} data-money={key}>
          <dt>{label}</dt>
          <dd>{formatCents(cents)}</dd>
        </div>
      ))}
    </dl>
  )
}
