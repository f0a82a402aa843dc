import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { priceCart } from '@durable-delivery/common'
import { Ledger, type LedgerEntry } from './ledger'
import { checkLedger, type OrderExpectation } from './ledger-check'
import { expectedNetCents } from './order-costs'
import { PaymentDeclinedError, PaymentService, PaymentVoidedError, RefundRejectedError } from './services'

/**
 * A cart's money at the service boundary: the card judges each dish, a partial refund (a
 * shortage) and an extra tip are entries of their own, and a full refund after a partial one
 * returns only what is left, however often each call is retried.
 */
let ledger: Ledger
let payments: PaymentService

beforeEach(() => {
  ledger = new Ledger(':memory:')
  payments = new PaymentService(ledger, { failureRate: 0 })
})
afterEach(() => ledger.close())

const order = { orderId: 'cart-1', paymentId: 'run-1' }
const key = (suffix: string) => `cart-1:run-1:${suffix}`
const TYPICAL = priceCart([
  { productId: 2, quantity: 2 },
  { productId: 3, quantity: 1 },
])
const entries = () => ledger.payments('cart-1').map(({ kind, cents, purpose }) => ({ kind, cents, purpose }))

describe('a cart at the payment service', () => {
  it('pays a $55 cart of Burrata and Potato, and declines any cart that includes a dish of $35 or more', async () => {
    await expect(
      payments.charge({ ...order, cents: 5500, lines: TYPICAL, idempotencyKey: key('charge') }),
    ).resolves.toBe(true)
    const withSwordfish = priceCart([
      { productId: 3, quantity: 1 },
      { productId: 1, quantity: 1 },
    ])
    await expect(
      payments.charge({ orderId: 'cart-2', cents: 5000, lines: withSwordfish, idempotencyKey: 'cart-2:charge' }),
    ).rejects.toThrow(PaymentDeclinedError)
    expect(ledger.payments('cart-2')).toEqual([])
  })

  it('refunds a shortage once under its own key, then only what is left in full, and never more', async () => {
    await payments.charge({ ...order, cents: 6500, lines: TYPICAL, idempotencyKey: key('charge') })
    const partial = { ...order, cents: 2000, purpose: 'shortage' as const, idempotencyKey: key('shortage-refund') }
    await expect(payments.refund(partial)).resolves.toBe('refunded')
    await expect(payments.refund(partial)).resolves.toBe('already refunded')
    const full = { ...order, idempotencyKey: key('refund') }
    await expect(payments.refund(full)).resolves.toBe('refunded')
    // A retry of the full refund answers what it did then, not what is left now (nothing).
    await expect(payments.refund(full)).resolves.toBe('already refunded')
    expect(entries()).toEqual([
      { kind: 'charge', cents: 6500, purpose: 'order' },
      { kind: 'refund', cents: 2000, purpose: 'shortage' },
      { kind: 'refund', cents: 4500, purpose: 'full' },
    ])
    await expect(
      payments.refund({ ...order, cents: 1, purpose: 'shortage', idempotencyKey: key('another-refund') }),
    ).rejects.toThrow(RefundRejectedError)
    expect(checkLedger(ledger.payments()).ok).toBe(true)
  })

  it('charges an extra tip once under its own key, never judged as a dish, and refuses it on a refunded order', async () => {
    await payments.charge({ ...order, cents: 5500, lines: TYPICAL, idempotencyKey: key('charge') })
    const tip = { ...order, cents: 4000, purpose: 'extra-tip' as const, idempotencyKey: key('extra-tip') }
    await expect(payments.charge(tip)).resolves.toBe(true)
    await expect(payments.charge(tip)).resolves.toBe(false)
    expect(entries()).toEqual([
      { kind: 'charge', cents: 5500, purpose: 'order' },
      { kind: 'charge', cents: 4000, purpose: 'extra-tip' },
    ])
    await payments.charge({ orderId: 'cart-3', cents: 5500, lines: TYPICAL, idempotencyKey: 'cart-3:charge' })
    await payments.refund({ orderId: 'cart-3', idempotencyKey: 'cart-3:refund' })
    await expect(
      payments.charge({ orderId: 'cart-3', cents: 100, purpose: 'extra-tip', idempotencyKey: 'cart-3:extra-tip' }),
    ).rejects.toThrow(PaymentVoidedError)
  })
})

function entry(
  kind: LedgerEntry['kind'],
  cents: number,
  purpose: LedgerEntry['purpose'],
  key = `cart:${kind}:${purpose}`,
): LedgerEntry {
  return { idempotencyKey: key, kind, orderId: 'cart', cents, purpose, at: '2026-01-01T00:00:00.000Z' }
}

describe("the ledger check of a cart's order", () => {
  const costs = (netCents: number) => new Map<string, OrderExpectation>([['cart', { netCents }]])

  it('passes a delivered cart that cost its kept lines and tip plus the extra tip', () => {
    const ledgerOf = [
      entry('charge', 6500, 'order'),
      entry('refund', 2000, 'shortage'),
      entry('charge', 300, 'extra-tip'),
    ]
    expect(checkLedger(ledgerOf, costs(4800))).toMatchObject({ ok: true, charged: 1, refunded: 0, problems: [] })
    expect(checkLedger(ledgerOf).orders[0]).toMatchObject({
      netCents: 4800,
      extraTipCents: 300,
      partialRefundCents: 2000,
    })
  })

  it('passes a partial then a full refund that give back the charge exactly, and flags one that gives more', () => {
    const refunded = [entry('charge', 6500, 'order'), entry('refund', 2000, 'shortage'), entry('refund', 4500, 'full')]
    expect(checkLedger(refunded, costs(0))).toMatchObject({ ok: true, refunded: 1 })
    const over = [entry('charge', 6500, 'order'), entry('refund', 2000, 'shortage'), entry('refund', 6500, 'full')]
    expect(checkLedger(over, costs(0)).problems).toEqual([
      'order cart was refunded 8500 cents of 6500 charged',
      'order cart cost -2000 cents, should have cost nothing',
    ])
  })

  it('flags an extra tip charged twice under two keys, and a shortage refunded twice', () => {
    const check = checkLedger([
      entry('charge', 5500, 'order'),
      entry('charge', 300, 'extra-tip'),
      entry('charge', 300, 'extra-tip', 'cart:extra-tip:again'),
      entry('refund', 100, 'shortage'),
      entry('refund', 100, 'shortage', 'cart:shortage:again'),
    ])
    expect(check).toMatchObject({ doubleCharges: 1, doubleRefunds: 1 })
    expect(check.problems).toEqual([
      'order cart was charged an extra tip 2 times',
      'order cart was partly refunded 2 times',
    ])
  })

  it('judges a delivered cart by what it kept and its extra tip; every other ending costs nothing', () => {
    expect(expectedNetCents('COMPLETED', 'Delivered', 6500, { keptCents: 4500, extraTipCents: 300 })).toBe(4800)
    expect(expectedNetCents('RUNNING', 'Ready', 6500, { keptCents: 4500 })).toBe(4500)
    expect(expectedNetCents('RUNNING', 'Preparing', 6500)).toBe(6500)
    expect(expectedNetCents('FAILED', 'Failed', 6500, { keptCents: 4500 })).toBe(0)
    expect(expectedNetCents('COMPLETED', 'Cancelled', 6500)).toBe(0)
  })
})
