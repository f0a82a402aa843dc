import { randomUUID } from 'node:crypto'
import type { OrderState } from '@durable-delivery/common'
import { paymentKey, type OrderExpectation } from '@durable-delivery/activities/ledger-check'
import { random } from './random'

/**
 * What each simulated customer orders and what its driver (and customer, and operator) will do,
 * decided before anything runs, so that every order's correct endings are known in advance and
 * can be checked afterwards, money included.
 */
export type DriverBehaviour =
  /** Picks the order up and delivers it: the order completes, charged once, never refunded. */
  | 'delivers'
  /** Never comes: the pickup window closes, the order is refunded once and fails. */
  | 'never-picks-up'
  /** Picks it up and never arrives: the delivery window closes, refunded once, fails. */
  | 'never-delivers'
  /** Two drivers press Pick up at once: exactly one wins and delivers; charged once. */
  | 'two-drivers'
  /** The customer presses Cancel before pickup: refunded (or never charged), Cancelled. */
  | 'customer-cancels'
  /** A driver delivers it while an operator cancels it at a random moment (Web UI, CLI). */
  | 'operator-cancels'

export interface PlannedOrder {
  orderId: string
  productId: number
  driver: DriverBehaviour
  /**
   * Once this order has closed, its id is started again, as the CLI or Web UI would (default
   * reuse policy), for this dish, and delivered: a new order, charged on its own.
   */
  reusedFor?: number
  /** The order's runs (filled as the case runs and is judged), oldest first. */
  runs: string[]
  /** What each run cost by the ending it reached (filled when judged). */
  netByRun: Map<string, number>
}

export interface ExpectedEnding {
  state: OrderState
  /** How Temporal closes the execution. */
  closed: 'completed' | 'failed' | 'cancelled'
  /** A fragment of the failure reason the customer is shown. */
  failure?: string
  /** What the order must have cost in the end. */
  netCents: number
}

/** Burrata, Potato, Poke: dishes that get charged. */
const CHARGEABLE_PRODUCTS: Record<number, number> = { 2: 2000, 3: 1500, 4: 2000 }

export interface EndingOptions {
  /** The payment service is down longer than the payment deadline for part of the case. */
  paymentMayTimeOut?: boolean
}

/** Every ending that is right for one run of an order: the first is the plan's, others are what a fault or a race may lead to. */
function expectedEndings(productId: number, driver: DriverBehaviour, options: EndingOptions = {}): ExpectedEnding[] {
  const endings = plannedEndings(productId, driver)
  // A service that is down fails before it looks at the card: a Swordfish then times out too.
  if (options.paymentMayTimeOut) {
    endings.push({ state: 'Failed', closed: 'failed', failure: 'Payment not confirmed', netCents: 0 })
  }
  return endings
}

function plannedEndings(productId: number, driver: DriverBehaviour): ExpectedEnding[] {
  const cents = CHARGEABLE_PRODUCTS[productId]
  if (cents === undefined) return [{ state: 'Failed', closed: 'failed', failure: 'Card declined', netCents: 0 }]
  switch (driver) {
    case 'delivers':
    case 'two-drivers':
      return [{ state: 'Delivered', closed: 'completed', netCents: cents }]
    case 'never-picks-up':
      return [{ state: 'Failed', closed: 'failed', failure: 'Not picked up in time', netCents: 0 }]
    case 'never-delivers':
      return [{ state: 'Failed', closed: 'failed', failure: 'Not delivered in time', netCents: 0 }]
    case 'customer-cancels':
      // Unless every try to cancel met a struggling system until the pickup window closed.
      return [
        { state: 'Cancelled', closed: 'completed', failure: 'Cancelled by the customer', netCents: 0 },
        { state: 'Failed', closed: 'failed', failure: 'Not picked up in time', netCents: 0 },
      ]
    case 'operator-cancels':
      // Before delivery: refunded and Cancelled. After: the meal stays paid for (the cancel only
      // skips the rating prompt). After the order completed: the cancel came too late to matter.
      return [
        { state: 'Cancelled', closed: 'cancelled', failure: 'Cancelled by an operator', netCents: 0 },
        { state: 'Delivered', closed: 'cancelled', netCents: cents },
        { state: 'Delivered', closed: 'completed', netCents: cents },
      ]
  }
}

/** The endings of each run of an order: its own, then (reused) the second run's, delivered. */
export function endingsOfRun(order: PlannedOrder, run: number, options: EndingOptions = {}): ExpectedEnding[] {
  return run === 0 || order.reusedFor === undefined
    ? expectedEndings(order.productId, order.driver, options)
    : expectedEndings(order.reusedFor, 'delivers', options)
}

/**
 * `count` orders in a fixed proportion (per ten: three delivered, one raced by two drivers, one
 * never picked up, one never delivered, one cancelled by its customer, one cancelled by an
 * operator at a random moment, one Swordfish whose id is then used again for a Burrata),
 * shuffled so that every phase of the story overlaps with the others.
 */
export function planOrders(count: number, draw: () => number = random): PlannedOrder[] {
  const pattern: Array<Pick<PlannedOrder, 'productId' | 'driver' | 'reusedFor'>> = [
    { productId: 2, driver: 'delivers' },
    { productId: 3, driver: 'two-drivers' },
    { productId: 4, driver: 'delivers' },
    { productId: 2, driver: 'never-picks-up' },
    { productId: 3, driver: 'customer-cancels' },
    { productId: 1, driver: 'delivers', reusedFor: 2 },
    { productId: 4, driver: 'never-delivers' },
    { productId: 2, driver: 'operator-cancels' },
    { productId: 3, driver: 'never-picks-up' },
    { productId: 4, driver: 'delivers' },
  ]
  const orders = Array.from({ length: count }, (_, index) => newOrder(pattern[index % pattern.length]!))
  for (let index = orders.length - 1; index > 0; index--) {
    const other = Math.floor(draw() * (index + 1))
    ;[orders[index], orders[other]] = [orders[other]!, orders[index]!]
  }
  return orders
}

/** Orders whose drivers all deliver, on the dishes that get charged: the load run's happy path. */
export function planDeliveries(count: number): PlannedOrder[] {
  const dishes = Object.keys(CHARGEABLE_PRODUCTS).map(Number)
  return Array.from({ length: count }, (_, index) =>
    newOrder({ productId: dishes[index % dishes.length]!, driver: 'delivers' }),
  )
}

function newOrder(plan: Pick<PlannedOrder, 'productId' | 'driver' | 'reusedFor'>): PlannedOrder {
  return { orderId: randomUUID(), ...plan, runs: [], netByRun: new Map() }
}

/**
 * What the ledger must hold for these orders, per run (`orderId/runId`: each run is its own
 * payment): what the judged ending of the run cost, or the plan's first ending for a run that
 * could not be judged.
 */
export function ledgerExpectations(orders: readonly PlannedOrder[]): Map<string, OrderExpectation> {
  const expected = new Map<string, OrderExpectation>()
  for (const order of orders) {
    order.runs.forEach((runId, run) => {
      const netCents = order.netByRun.get(runId) ?? endingsOfRun(order, run)[0]!.netCents
      expected.set(paymentKey(order.orderId, runId), { netCents })
    })
  }
  return expected
}
