import { setTimeout as delay } from 'node:timers/promises'
import { simulateOrder, type DriverOutcome, type World } from './driver'
import type { PlannedOrder } from './order-plan'
import type { Api } from './breakable-stack'
import { trpcCode } from './trpc-code'
import { random } from './random'

/**
 * Customers place the planned orders one after another through `order.createOrder`, and a
 * driver per order starts watching it (two for a raced order; the customer or an operator where
 * the plan says they cancel). A customer whose request fails (the server restarting) sends the
 * very same request again: the order id makes that safe.
 */
export interface OrdersInFlight {
  /** Resolves when every order is placed and every driver has done what it planned. */
  settled: Promise<{ drivers: DriverOutcome[]; createRetries: number; racedOrders: number; doubleWins: string[] }>
}

export interface PlaceOptions {
  /** Pause between two customers (randomised around this), so orders are at every stage at once. */
  arrivalMs: number
  /** Nobody tries anything after this moment (epoch ms). */
  deadline: number
}

async function placeOrder(api: Api, order: PlannedOrder, deadline: number): Promise<number> {
  let retries = 0
  for (;;) {
    try {
      const { orderId, productId, cart } = order
      await api.order.createOrder(cart ? { orderId, items: cart.items, tip: cart.tip } : { orderId, productId })
      return retries
    } catch (error) {
      if (trpcCode(error) !== 'SERVICE_UNAVAILABLE' || Date.now() > deadline) throw error
      retries += 1
      await delay(250 + random() * 500)
    }
  }
}

export function startOrders(world: World, orders: readonly PlannedOrder[], options: PlaceOptions): OrdersInFlight {
  const settled = (async () => {
    const drivers: Array<Promise<DriverOutcome[] | Error>> = []
    let createRetries = 0
    try {
      for (const order of orders) {
        createRetries += await placeOrder(world.api, order, options.deadline)
        // Held as values until all are placed, so a failing driver is reported, never unhandled.
        drivers.push(simulateOrder(world, order, { deadline: options.deadline }).catch((error: Error) => error))
        await delay(options.arrivalMs * (0.5 + random()))
      }
    } finally {
      // Whatever happened to the customers, wait for the drivers already on the road.
      await Promise.all(drivers)
    }
    const outcomes = await Promise.all(drivers)
    const failed = outcomes.find((outcome) => outcome instanceof Error)
    if (failed) throw failed
    const perOrder = outcomes as DriverOutcome[][]
    // Of two drivers racing for one order, at most one may be told it picked the order up.
    const raced = orders
      .map((order, index) => ({ order, outcomes: perOrder[index]! }))
      .filter(({ order }) => order.driver === 'two-drivers')
    const doubleWins = raced
      .filter(({ outcomes }) => outcomes.reduce((wins, outcome) => wins + outcome.pickupsWon, 0) > 1)
      .map(({ order }) => order.orderId)
    return { drivers: perOrder.flat(), createRetries, racedOrders: raced.length, doubleWins }
  })()
  return { settled }
}
