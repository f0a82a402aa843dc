import type { LedgerEntry } from './ledger'

/**
 * Audits the payment ledger: the question a customer asks is "did this order cost me what it
 * should?": its price if it was delivered (or is still open past payment), nothing if it was
 * cancelled, declined, timed out or failed. The ledger's primary key already makes one
 * idempotency key act once; this check looks per order run (its payment), across any keys, so a
 * retry that came back with a new key (or a bug that skipped the key) is still caught as a
 * double charge.
 */
export interface OrderExpectation {
  /** What the order should have cost in the end: its price if delivered or still open past payment, 0 otherwise. */
  netCents: number
  /** The price fixed when the order was placed: a charge, if any, must be of this amount. */
  priceCents?: number
}

export interface LedgerOrderSummary {
  /** The order run: `orderId/paymentId`, or the order id alone for entries written before payment ids. */
  key: string
  orderId: string
  paymentId?: string
  charges: number
  refunds: number
  chargedCents: number
  refundedCents: number
  /** What the order cost the customer in the end. */
  netCents: number
  /** What is wrong with this order's entries (the ledger's own invariants); empty when right. */
  problems: string[]
}

export interface LedgerCheck {
  /** Order runs with at least one ledger entry. */
  orders: LedgerOrderSummary[]
  charged: number
  /** Orders whose charge was refunded. */
  refunded: number
  /** Orders refunded before any charge: the payment voided, so a late charge is refused. */
  voided: number
  /** Orders charged more than once. */
  doubleCharges: number
  /** Orders refunded more than once. */
  doubleRefunds: number
  /** One sentence per thing that is wrong; empty when the ledger is right. */
  problems: string[]
  ok: boolean
}

/** The key of one order run's payment in the ledger and in expectations. */
export function paymentKey(orderId: string, paymentId?: string): string {
  return paymentId === undefined ? orderId : `${orderId}/${paymentId}`
}

function summarise(entries: readonly LedgerEntry[]): Map<string, LedgerOrderSummary> {
  const byOrder = new Map<string, LedgerOrderSummary>()
  for (const entry of entries) {
    const key = paymentKey(entry.orderId, entry.paymentId)
    let summary = byOrder.get(key)
    if (!summary) {
      summary = {
        key,
        orderId: entry.orderId,
        ...(entry.paymentId === undefined ? {} : { paymentId: entry.paymentId }),
        charges: 0,
        refunds: 0,
        chargedCents: 0,
        refundedCents: 0,
        netCents: 0,
        problems: [],
      }
      byOrder.set(key, summary)
    }
    if (entry.kind === 'charge') {
      summary.charges += 1
      summary.chargedCents += entry.cents
    } else {
      summary.refunds += 1
      summary.refundedCents += entry.cents
    }
    summary.netCents = summary.chargedCents - summary.refundedCents
  }
  return byOrder
}

/**
 * Checks the ledger's own invariants (every order run charged at most once; refunds at most
 * once, of the amount charged, or a void of 0 cents before any charge) and, when `expected` is
 * given (keyed by `paymentKey`), that every order cost exactly what it should and that nothing
 * else is in the ledger.
 */
export function checkLedger(
  entries: readonly LedgerEntry[],
  expected?: ReadonlyMap<string, OrderExpectation>,
): LedgerCheck {
  const byOrder = summarise(entries)
  const problems: string[] = []
  for (const order of byOrder.values()) {
    const id = order.key
    if (order.charges > 1) order.problems.push(`order ${id} was charged ${order.charges} times`)
    if (order.refunds > 1) order.problems.push(`order ${id} was refunded ${order.refunds} times`)
    if (order.refunds > 0 && order.charges === 0 && order.refundedCents !== 0)
      order.problems.push(`order ${id} was refunded but never charged`)
    if (order.refunds > 0 && order.charges > 0 && order.refundedCents !== order.chargedCents) {
      order.problems.push(`order ${id} was refunded ${order.refundedCents} cents of ${order.chargedCents} charged`)
    }
    problems.push(...order.problems)
  }
  if (expected) {
    for (const order of byOrder.values()) {
      if (!expected.has(order.key)) problems.push(`order ${order.key} is in the ledger but was never placed`)
    }
    for (const [id, want] of expected) {
      const got = byOrder.get(id)
      const net = got?.netCents ?? 0
      if (net !== want.netCents) {
        const should = want.netCents === 0 ? 'nothing' : `${want.netCents} cents`
        problems.push(`order ${id} cost ${net} cents, should have cost ${should}`)
      }
      if (want.priceCents !== undefined && got && got.charges === 1 && got.chargedCents !== want.priceCents) {
        problems.push(`order ${id} was charged ${got.chargedCents} cents instead of its price ${want.priceCents}`)
      }
    }
  }
  const orders = [...byOrder.values()]
  return {
    orders,
    charged: orders.filter((order) => order.charges > 0).length,
    refunded: orders.filter((order) => order.charges > 0 && order.refunds > 0).length,
    voided: orders.filter((order) => order.charges === 0 && order.refunds > 0).length,
    doubleCharges: orders.filter((order) => order.charges > 1).length,
    doubleRefunds: orders.filter((order) => order.refunds > 1).length,
    problems,
    ok: problems.length === 0,
  }
}
