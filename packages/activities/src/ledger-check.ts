import { purposeOf, type LedgerEntry } from './ledger'

/**
 * Audits the payment ledger: the question a customer asks is "did this order cost me what it
 * should?": its price if it was delivered (or is still open past payment), nothing if it was
 * cancelled, declined, timed out or failed. The ledger's primary key already makes one
 * idempotency key act once; this check looks per order run (its payment), across any keys, so a
 * retry that came back with a new key (or a bug that skipped the key) is still caught as a
 * double charge.
 */
export interface OrderExpectation {
  /**
   * What the order should have cost in the end: if delivered (or still open past payment), its
   * price, or for a cart its kept lines and tip plus any extra tip; 0 otherwise.
   */
  netCents: number
  /** The price fixed when the order was placed: a charge, if any, must be of this amount. */
  priceCents?: number
}

export interface LedgerOrderSummary {
  /** The order run: `orderId/paymentId`, or the order id alone for entries written before payment ids. */
  key: string
  orderId: string
  paymentId?: string
  /** The order's charges (at checkout): one at most. */
  charges: number
  /** Refunds of any purpose: at most one full and one partial (a shortage). */
  refunds: number
  chargedCents: number
  refundedCents: number
  /** A cart's extra tip, charged after delivery under its own key. */
  extraTipCents: number
  extraTips: number
  /** Partial refunds (a cart's shortage). */
  partialRefundCents: number
  partialRefunds: number
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
        extraTipCents: 0,
        extraTips: 0,
        partialRefundCents: 0,
        partialRefunds: 0,
        netCents: 0,
        problems: [],
      }
      byOrder.set(key, summary)
    }
    const purpose = purposeOf(entry)
    if (purpose === 'extra-tip') {
      summary.extraTips += 1
      summary.extraTipCents += entry.cents
    } else if (entry.kind === 'charge') {
      summary.charges += 1
      summary.chargedCents += entry.cents
    } else {
      summary.refunds += 1
      summary.refundedCents += entry.cents
      if (purpose === 'shortage') {
        summary.partialRefunds += 1
        summary.partialRefundCents += entry.cents
      }
    }
    summary.netCents = summary.chargedCents + summary.extraTipCents - summary.refundedCents
  }
  return byOrder
}

/**
 * Checks the ledger's own invariants (every order run charged at most once, and its extra tip
 * at most once; a full refund at most once, and with a partial one (a shortage) exactly the
 * amount charged; a partial refund never more than the charge; or a void of 0 cents before any
 * charge) and, when `expected` is
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
    const fullRefunds = order.refunds - order.partialRefunds
    if (order.charges > 1) order.problems.push(`order ${id} was charged ${order.charges} times`)
    if (order.extraTips > 1) order.problems.push(`order ${id} was charged an extra tip ${order.extraTips} times`)
    if (fullRefunds > 1) order.problems.push(`order ${id} was refunded ${fullRefunds} times`)
    if (order.partialRefunds > 1) order.problems.push(`order ${id} was partly refunded ${order.partialRefunds} times`)
    if (order.refunds > 0 && order.charges === 0 && order.refundedCents !== 0)
      order.problems.push(`order ${id} was refunded but never charged`)
    const wrongRefund =
      fullRefunds > 0 ? order.refundedCents !== order.chargedCents : order.refundedCents > order.chargedCents
    if (order.refunds > 0 && order.charges > 0 && wrongRefund) {
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
    refunded: orders.filter((order) => order.charges > 0 && order.refunds > order.partialRefunds).length,
    voided: orders.filter((order) => order.charges === 0 && order.refunds > 0).length,
    doubleCharges: orders.filter((order) => order.charges > 1 || order.extraTips > 1).length,
    doubleRefunds: orders.filter((order) => order.refunds - order.partialRefunds > 1 || order.partialRefunds > 1)
      .length,
    problems,
    ok: problems.length === 0,
  }
}
