import { describe, expect, it } from 'vitest'
import type { LedgerEntry } from './ledger'
import { checkLedger, paymentKey, type OrderExpectation } from './ledger-check'
import { expectedNetCents } from './order-costs'

function entry(kind: LedgerEntry['kind'], orderId: string, cents = 2000, key = `${orderId}:${kind}`): LedgerEntry {
  return { idempotencyKey: key, kind, orderId, cents, at: '2026-01-01T00:00:00.000Z' }
}

describe('checkLedger', () => {
  const expected = new Map<string, OrderExpectation>([
    ['delivered', { netCents: 2000, priceCents: 2000 }],
    ['abandoned', { netCents: 0, priceCents: 1500 }],
    ['declined', { netCents: 0 }],
  ])

  it('passes a ledger that holds exactly what the orders caused', () => {
    const check = checkLedger(
      [entry('charge', 'delivered'), entry('charge', 'abandoned', 1500), entry('refund', 'abandoned', 1500)],
      expected,
    )
    expect(check).toMatchObject({
      ok: true,
      charged: 2,
      refunded: 1,
      voided: 0,
      doubleCharges: 0,
      doubleRefunds: 0,
      problems: [],
    })
  })

  it('counts an order charged twice under two keys as a double charge', () => {
    const check = checkLedger([
      entry('charge', 'delivered'),
      entry('charge', 'delivered', 2000, 'delivered:charge:retry'),
    ])
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
      'order delivered cost 0 cents, should have cost 2000 cents',
      'order abandoned cost 2000 cents, should have cost nothing',
      'order abandoned was charged 2000 cents instead of its price 1500',
      'order declined cost 3500 cents, should have cost nothing',
    ])
  })

  it('keeps the runs of a reused order id apart, and accepts a void (a refund of nothing) as costing nothing', () => {
    const run = (kind: LedgerEntry['kind'], paymentId: string, cents: number): LedgerEntry => ({
      ...entry(kind, 'reused', cents, `reused:${paymentId}:${kind}`),
      paymentId,
    })
    const check = checkLedger(
      [
        run('charge', 'run-1', 2000),
        run('refund', 'run-1', 2000),
        run('charge', 'run-2', 2000),
        run('refund', 'run-3', 0),
      ],
      new Map([
        [paymentKey('reused', 'run-1'), { netCents: 0 }],
        [paymentKey('reused', 'run-2'), { netCents: 2000, priceCents: 2000 }],
        [paymentKey('reused', 'run-3'), { netCents: 0 }],
      ]),
    )
    expect(check).toMatchObject({ ok: true, charged: 2, refunded: 1, voided: 1, doubleCharges: 0, problems: [] })
  })
})

describe('expectedNetCents', () => {
  it('says an order costs its price if delivered or open past payment, nothing for any other ending, and waits while money moves', () => {
    expect(expectedNetCents('COMPLETED', 'Delivered', 2000)).toBe(2000)
    expect(expectedNetCents('CANCELLED', 'Delivered', 2000)).toBe(2000)
    expect(expectedNetCents('RUNNING', 'Paid', 2000)).toBe(2000)
    expect(expectedNetCents('RUNNING', 'Picked up', 2000)).toBe(2000)
    expect(expectedNetCents('RUNNING', 'Charging card', 2000)).toBeUndefined()
    expect(expectedNetCents('RUNNING', 'Refunding', 2000)).toBeUndefined()
    for (const [status, state] of [
      ['COMPLETED', 'Cancelled'],
      ['CANCELLED', 'Cancelled'],
      ['FAILED', 'Failed'],
      ['TERMINATED', 'Paid'],
      ['TIMED_OUT', 'Picked up'],
    ] as const) {
      expect(expectedNetCents(status, state, 2000)).toBe(0)
    }
  })
})
