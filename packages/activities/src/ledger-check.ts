import type { LedgerEntry } from './ledger'

/**
 * Audits the payment ledger: the question a customer asks is "was I charged once, and refunded
 * if and only if my order failed after I paid?". The ledger's primary key already makes one
 * idempotency key act once; this check looks per order, across any keys, so a retry that came
 * back with a new key (or a bug that skipped the key) would still be caught as a double charge.
 */
export interface OrderExpectation {
  /** Whether the order should have been charged (false for a declined card). */
  charged: boolean
  /** Whether the charge should have been refunded (a driver never came, or never delivered). */
  refunded: boolean
  /** The price the charge must carry, when known. */
  cents?: number
}

export interface LedgerOrderSummary {
  orderId: string
  charges: number
  refunds: number
  chargedCents: number
  refundedCents: number
  /** What is wrong with this order's entries (the ledger's own invariants); empty when right. */
  problems: string[]
}

export interface LedgerCheck {
  /** Orders with at least one ledger entry. */
  orders: LedgerOrderSummary[]
  charged: number
  refunded: number
  /** Orders charged more than once. */
  doubleCharges: number
  /** Orders refunded more than once. */
  doubleRefunds: number
  /** One sentence per thing that is wrong; empty when the ledger is right. */
  problems: string[]
  ok: boolean
}

function summarise(entries: readonly LedgerEntry[]): Map<string, LedgerOrderSummary> {
  const byOrder = new Map<string, LedgerOrderSummary>()
  for (const entry of entries) {
    let summary = byOrder.get(entry.orderId)
    if (!summary) {
      summary = { orderId: entry.orderId, charges: 0, refunds: 0, chargedCents: 0, refundedCents: 0, problems: [] }
      byOrder.set(entry.orderId, summary)
    }
    if (entry.kind === 'charge') {
      summary.charges += 1
      summary.chargedCents += entry.cents
    } else {
      summary.refunds += 1
      summary.refundedCents += entry.cents
    }
  }
  return byOrder
}

/**
 * Checks the ledger's own invariants (every order charged at most once; refunds only for a
 * charged order, at most once, of the amount charged) and, when `expected` is given, that it
 * holds exactly what those orders should have caused and nothing for any other order.
 */
export function checkLedger(
  entries: readonly LedgerEntry[],
  expected?: ReadonlyMap<string, OrderExpectation>,
): LedgerCheck {
  const byOrder = summarise(entries)
  const problems: string[] = []
  for (const order of byOrder.values()) {
    const id = order.orderId
    if (order.charges > 1) order.problems.push(`order ${id} was charged ${order.charges} times`)
    if (order.refunds > 1) order.problems.push(`order ${id} was refunded ${order.refunds} times`)
    if (order.refunds > 0 && order.charges === 0) order.problems.push(`order ${id} was refunded but never charged`)
    if (order.refunds > 0 && order.charges > 0 && order.refundedCents !== order.chargedCents) {
      order.problems.push(`order ${id} was refunded ${order.refundedCents} cents of ${order.chargedCents} charged`)
    }
    problems.push(...order.problems)
  }
  if (expected) {
    for (const order of byOrder.values()) {
      if (!expected.has(order.orderId)) problems.push(`order ${order.orderId} is in the ledger but was never placed`)
    }
    for (const [id, want] of expected) {
      const got = byOrder.get(id)
      const charges = got?.charges ?? 0
      const refunds = got?.refunds ?? 0
      if (want.charged && charges === 0) problems.push(`order ${id} should have been charged but was not`)
      if (!want.charged && charges > 0) problems.push(`order ${id} should not have been charged but was`)
      if (want.refunded && refunds === 0) problems.push(`order ${id} should have been refunded but was not`)
      if (!want.refunded && refunds > 0) problems.push(`order ${id} should not have been refunded but was`)
      if (want.cents !== undefined && charges === 1 && got!.chargedCents !== want.cents) {
        problems.push(`order ${id} was charged ${got!.chargedCents} cents instead of ${want.cents}`)
      }
    }
  }
  const orders = [...byOrder.values()]
  return {
    orders,
    charged: orders.filter((order) => order.charges > 0).length,
    refunded: orders.filter((order) => order.refunds > 0).length,
    doubleCharges: orders.filter((order) => order.charges > 1).length,
    doubleRefunds: orders.filter((order) => order.refunds > 1).length,
    problems,
    ok: problems.length === 0,
  }
}
