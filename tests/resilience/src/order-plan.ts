import { randomUUID } from 'node:crypto'
import {
  priceCart,
  tipFor,
  totalCents,
  withoutDishes,
  type CartItem,
  type OrderState,
  type TipChoice,
} from '@durable-delivery/common'
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

/** What the customer of a cart answers when the restaurant is out of a dish. */
export type ShortageAnswer = 'goes ahead' | 'cancels'

/** A cart placed as the menu places it: its items, the tip chosen, and a shortage's answer. */
export interface PlannedCart {
  items: CartItem[]
  tip: TipChoice
  /** The cart holds a dish the suite's restaurant has run out of (SOLD_OUT_DISH); the customer answers so. */
  shortage?: ShortageAnswer
}

/** The dish the suite's simulated restaurant has run out of (RESTAURANT_SOLD_OUT): Poke. */
export const SOLD_OUT_DISH = 4

export interface PlannedOrder {
  orderId: string
  /** The dish (a cart's: its first line's). */
  productId: number
  driver: DriverBehaviour
  /** Placed as a cart: the restaurant's step runs before a driver may collect it. */
  cart?: PlannedCart
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
function expectedEndings(
  productId: number,
  driver: DriverBehaviour,
  options: EndingOptions = {},
  cart?: PlannedCart,
): ExpectedEnding[] {
  const endings = cart ? cartEndings(cart, driver) : plannedEndings(productId, driver)
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

/** What a cart costs once delivered: every line and the tip, less what a shortage gave back. */
export function cartNetCents(cart: PlannedCart): number {
  const lines = priceCart(cart.items)
  const tip = tipFor(cart.tip, totalCents(lines, undefined))
  return cart.shortage === undefined
    ? totalCents(lines, tip)
    : totalCents(lines, tip) - withoutDishes(lines, tip, [SOLD_OUT_DISH]).refundCents
}

/**
 * A cart's endings: its plan's, and what a struggling system may rightly lead to instead: a
 * shortage answered too late goes ahead without the dish, and a restaurant that could not be
 * reached in time refunds everything.
 */
function cartEndings(cart: PlannedCart, driver: DriverBehaviour): ExpectedEnding[] {
  const delivered: ExpectedEnding = { state: 'Delivered', closed: 'completed', netCents: cartNetCents(cart) }
  const notAccepted: ExpectedEnding = {
    state: 'Failed',
    closed: 'failed',
    failure: 'Not accepted by the restaurant in time',
    netCents: 0,
  }
  if (cart.shortage === 'cancels')
    return [
      { state: 'Cancelled', closed: 'completed', failure: 'Cancelled by the customer', netCents: 0 },
      delivered,
      notAccepted,
    ]
  if (driver === 'never-picks-up')
    return [{ state: 'Failed', closed: 'failed', failure: 'Not picked up in time', netCents: 0 }, notAccepted]
  return [delivered, notAccepted]
}

/** The endings of each run of an order: its own, then (reused) the second run's, delivered. */
export function endingsOfRun(order: PlannedOrder, run: number, options: EndingOptions = {}): ExpectedEnding[] {
  return run === 0 || order.reusedFor === undefined
    ? expectedEndings(order.productId, order.driver, options, order.cart)
    : expectedEndings(order.reusedFor, 'delivers', options)
}

/**
 * `count` orders in a fixed proportion (per ten: one dish delivered, one raced by two drivers,
 * one never picked up, one never delivered, one cancelled by its customer, one cancelled by an
 * operator at a random moment, one Swordfish whose id is then used again for a Burrata; and
 * three carts through the restaurant's step: one delivered with a share tip, one short of a
 * dish whose customer goes ahead without it, one whose customer cancels instead), shuffled so
 * that every phase of the story overlaps with the others.
 */
export function planOrders(count: number, draw: () => number = random): PlannedOrder[] {
  const pattern: Array<Pick<PlannedOrder, 'productId' | 'driver' | 'reusedFor' | 'cart'>> = [
    cartOrder({ items: [item(2, 2), item(3, 1)], tip: { kind: 'percent', percent: 15 } }),
    { productId: 3, driver: 'two-drivers' },
    { productId: 4, driver: 'delivers' },
    { productId: 2, driver: 'never-picks-up' },
    { productId: 3, driver: 'customer-cancels' },
    { productId: 1, driver: 'delivers', reusedFor: 2 },
    { productId: 4, driver: 'never-delivers' },
    { productId: 2, driver: 'operator-cancels' },
    cartOrder({
      items: [item(3, 2), item(SOLD_OUT_DISH, 1)],
      tip: { kind: 'percent', percent: 10 },
      shortage: 'cancels',
    }),
    cartOrder({
      items: [item(SOLD_OUT_DISH, 1), item(2, 1)],
      tip: { kind: 'amount', cents: 300 },
      shortage: 'goes ahead',
    }),
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

function item(productId: number, quantity: number): CartItem {
  return { productId, quantity }
}

function cartOrder(cart: PlannedCart): Pick<PlannedOrder, 'productId' | 'driver' | 'cart'> {
  return { productId: cart.items[0]!.productId, driver: 'delivers', cart }
}

function newOrder(plan: Pick<PlannedOrder, 'productId' | 'driver' | 'reusedFor' | 'cart'>): PlannedOrder {
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
