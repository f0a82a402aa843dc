import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { priceCart } from '@durable-delivery/common'
import { Ledger } from './ledger'
import { SimulatedRestaurant, type KitchenPlan, type RestaurantOptions } from './restaurant'
import { TransientServiceError } from './services'

/**
 * The simulated restaurant's order book: an order received once however often it is sent, and
 * what the kitchen will answer decided once, when it arrives (the callbacks themselves run
 * against a real server in apps/worker's restart test).
 */
let ledger: Ledger
beforeEach(() => {
  ledger = new Ledger(':memory:')
})
afterEach(() => ledger.close())

const kitchen = (options: Partial<RestaurantOptions> = {}) =>
  new SimulatedRestaurant(ledger, {
    mode: 'auto',
    failureRate: 0,
    acceptMs: 2000,
    prepMsPerItem: 1000,
    declineRate: 0,
    soldOut: [],
    ...options,
  })
const cart = priceCart([
  { productId: 2, quantity: 2 },
  { productId: 4, quantity: 1 },
])
const receive = (restaurant: SimulatedRestaurant, orderId = 'order-1', lines = cart) =>
  restaurant.receive({ orderId, lines, idempotencyKey: `${orderId}:run-1:restaurant` })
const plans = () => ledger.restaurantOrders('all').map((entry) => JSON.parse(entry.plan) as KitchenPlan)

describe('the simulated restaurant', () => {
  it('receives an order once under its key, due to be accepted after the accept time', async () => {
    const restaurant = kitchen()
    const before = Date.now()
    await expect(receive(restaurant)).resolves.toBe(true)
    await expect(receive(restaurant)).resolves.toBe(false)
    const [entry, ...others] = ledger.restaurantOrders()
    expect(others).toEqual([])
    expect(entry).toMatchObject({ orderId: 'order-1', stage: 'received' })
    expect(entry!.dueAt).toBeGreaterThanOrEqual(before + 2000)
    expect(plans()).toEqual([{ readyInMinutes: 1, prepMs: 3000 }])
  })

  it('fails transiently at its failure rate, before or after it recorded the order', async () => {
    const rolls = [0.1, 0.4]
    const restaurant = kitchen({ failureRate: 0.6, random: () => rolls.shift() ?? 0.99 })
    await expect(receive(restaurant)).rejects.toThrow(TransientServiceError)
    expect(ledger.restaurantOrders()).toEqual([])
    await expect(receive(restaurant)).rejects.toThrow(TransientServiceError)
    // The second attempt recorded it before its answer was lost: the retry finds it there.
    await expect(receive(restaurant)).resolves.toBe(false)
    expect(ledger.restaurantOrders()).toHaveLength(1)
  })

  it('asks about the dishes it is out of, and declines a cart of only those, or at its decline rate', async () => {
    await receive(kitchen({ soldOut: [4] }), 'short')
    await receive(kitchen({ soldOut: [2, 4] }), 'all-out')
    await receive(kitchen({ declineRate: 1 }), 'busy')
    expect(plans()).toEqual([
      { unavailable: [4], readyInMinutes: 1, prepMs: 2000 },
      { decline: 'We are out of Burrata and Poke today', readyInMinutes: 1, prepMs: 0 },
      { decline: 'The kitchen is too busy to take your order right now', readyInMinutes: 1, prepMs: 3000 },
    ])
  })
})
