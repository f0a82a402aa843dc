import { describe, expect, it } from 'vitest'
import { orderStartMetadata } from './definitions'

describe('orderStartMetadata', () => {
  it('names the dish, the price and the customer, the id cut short in the summary and whole in the details', () => {
    expect(orderStartMetadata({ productName: 'Burrata', cents: 2000, customerId: 'abc12345-6789' })).toEqual({
      staticSummary: 'Burrata · $20.00 · customer abc12345',
      staticDetails: [
        '**Burrata**, $20.00',
        '',
        '- Customer: `abc12345-6789`',
        '- The state now: the current details; the whole story: the `getStatus` query and the history.',
      ].join('\n'),
    })
  })

  it('says when an order has no customer, and keeps a backtick from breaking the markdown', () => {
    const anonymous = orderStartMetadata({ productName: 'Potato', cents: 1500 })
    expect(anonymous.staticSummary).toBe('Potato · $15.00')
    expect(anonymous.staticDetails).toContain('- Customer: none (placed without a customer id)')
    expect(orderStartMetadata({ productName: 'Poke', cents: 2000, customerId: 'a`b' }).staticDetails).toContain(
      "- Customer: `a'b`",
    )
  })

  it('keeps the summary under the server limit of 200 bytes for the longest customer id', () => {
    const { staticSummary } = orderStartMetadata({ productName: 'Swordfish', cents: 3500, customerId: 'x'.repeat(100) })
    expect(new TextEncoder().encode(staticSummary).length).toBeLessThan(200)
  })
})
