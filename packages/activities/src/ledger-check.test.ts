import { describe, expect, it } from 'vitest'
import type { LedgerEntry } from './ledger'
import { checkLedger, type OrderExpectation } from './ledger-check'

function entry(kind: LedgerEntry['kind'], orderId: string, cents = 2000, key = `${orderId}:${kind}`): LedgerEntry {
  return { idempotencyKey: key, kind, orderId, cents, at: '2026-01-01T00:00:00.000Z' }
}

describe('checkLedger', () => {
  const expected = new Map<string, OrderExpectation>([
    ['delivered', { charged: true, refunded: false, cents: 2000 }],
    ['abandoned', { charged: true, refunded: true, cents: 1500 }],
    ['declined', { charged: false, refunded: false }],
  ])

  it('passes a ledger that holds exactly what the orders caused', () => {
    const check = checkLedger(
      [entry('charge', 'delivered'), entry('charge', 'abandoned', 1500), entry('refund', 'abandoned', 1500)],
      expected,
    )
    expect(check).toMatchObject({ ok: true, charged: 2, refunded: 1, doubleCharges: 0, doubleRefunds: 0, problems: [] })
  })

  it('counts an order charged twice under two keys as a double charge', () => {
    const check = checkLedger([entry('charge', 'delivered'), entry('charge', 'delivered', 2000, 'delivered:charge:retry')])
    expect(check.doubleCharges).toBe(1)
    expect(check.problems).toEqual(['order delivered was charged 2 times'])
  })

  it('flags refunds without a charge, twice over, or of another amount', () => {
    const check = checkLedger([
      entry('refund', 'ghost'),
      entry('charge', 'twice', 1500),
      entry('refund', 'twice', 1500),
      entry('refund', 'twice', 1500, 'twice:refund:again'),
      entry('charge', 'short', 2000),
      entry('refund', 'short', 1500),
    ])
    expect(check.doubleRefunds).toBe(1)
    expect(check.problems).toEqual([
      'order ghost was refunded but never charged',
      'order twice was refunded 2 times',
      'order twice was refunded 3000 cents of 1500 charged',
      'order short was refunded 1500 cents of 2000 charged',
    ])
  })

  it('names missing, unexpected and foreign entries against the expected orders', () => {
    const check = checkLedger(
      [entry('charge', 'declined', 3500), entry('charge', 'abandoned', 2000), entry('charge', 'stranger')],
      expected,
    )
    expect(check.ok).toBe(false)
    expect(check.problems).toEqual([
      'order stranger is in the ledger but was never placed',
      'order delivered should have been charged but was not',
      'order abandoned should have been refunded but was not',
      'order abandoned was charged 2000 cents instead of 1500',
      'order declined should not have been charged but was',
    ])
  })
})
