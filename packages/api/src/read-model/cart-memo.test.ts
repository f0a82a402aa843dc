import { describe, expect, it } from 'vitest'
import { cartMemo, memoLines, sameCart } from './cart-memo'

const lines = [
  { productId: 2, quantity: 2, cents: 2000 },
  { productId: 3, quantity: 1, cents: 1500 },
]

describe("a cart's memo", () => {
  it('carries the lines and the tip in cents, 0 for none', () => {
    expect(cartMemo(lines, { cents: 825, percent: 15 })).toEqual({ lines, tipCents: 825 })
    expect(cartMemo(lines, undefined)).toEqual({ lines, tipCents: 0 })
  })

  it('reads lines only when they look like lines (another program may have started the order)', () => {
    expect(memoLines({ lines })).toEqual(lines)
    expect(memoLines(undefined)).toBeUndefined()
    expect(memoLines({ lines: [] })).toBeUndefined()
    expect(memoLines({ lines: 'two burrata' })).toBeUndefined()
    expect(memoLines({ lines: [{ productId: 2, quantity: '2', cents: 2000 }] })).toBeUndefined()
  })

  it('knows a retry: the same lines, prices and tip; a one-dish request matches only an order without a cart', () => {
    const memo = cartMemo(lines, { cents: 500 })
    expect(sameCart(memo, { lines, tip: { cents: 500 } })).toBe(true)
    expect(sameCart(memo, { lines, tip: undefined })).toBe(false)
    expect(sameCart(memo, { lines: [lines[0]!], tip: { cents: 500 } })).toBe(false)
    expect(sameCart(memo, { lines: [{ ...lines[0]!, cents: 1900 }, lines[1]!], tip: { cents: 500 } })).toBe(false)
    expect(sameCart(memo, undefined)).toBe(false)
    expect(sameCart({ pickupDeadline: '2026-01-01T00:00:00.000Z' }, undefined)).toBe(true)
    expect(sameCart(undefined, { lines, tip: undefined })).toBe(false)
  })
})
