import { randomUUID } from 'node:crypto'
import type { OrderState } from '@durable-delivery/common'
import type { OrderExpectation } from '@durable-delivery/activities/ledger-check'

/**
 * What each simulated customer orders and what its driver will do, decided before anything
 * runs, so that every order's correct ending is known in advance and can be checked afterwards.
 */
export type DriverBehaviour =
  /** Picks the order up and delivers it: the order completes, charged once, never refunded. */
  | 'delivers'
  /** Never comes: the pickup window closes, the order is refunded once and fails. */
  | 'never-picks-up'
  /** Picks it up and never arrives: the delivery window closes, refunded once, fails. */
  | 'never-delivers'

export interface PlannedOrder {
  orderId: string
  productId: number
  driver: DriverBehaviour
}

export interface ExpectedEnding {
  state: OrderState
  /** Completed (true) or failed (false), as Temporal closes the execution. */
  completed: boolean
  /** A fragment of the failure reason the customer is shown. */
  failure?: string
  ledger: OrderExpectation
}

/** Swordfish, the dish the seed's card always declines. */
export const DECLINED_PRODUCT_ID = 1
/** Burrata, Potato, Poke: dishes that get charged. */
export const CHARGEABLE_PRODUCTS: Record<number, number> = { 2: 2000, 3: 1500, 4: 2000 }

export function expectedEnding(order: PlannedOrder): ExpectedEnding {
  const cents = CHARGEABLE_PRODUCTS[order.productId]
  if (cents === undefined) {
    return {
      state: 'Failed',
      completed: false,
      failure: 'Card declined',
      ledger: { charged: false, refunded: false },
    }
  }
  switch (order.driver) {
    case 'delivers':
      return { state: 'Delivered', completed: true, ledger: { charged: true, refunded: false, cents } }
    case 'never-picks-up':
      return { state: 'Failed', completed: false, failure: 'Not picked up in time', ledger: { charged: true, refunded: true, cents } }
    case 'never-delivers':
      return { state: 'Failed', completed: false, failure: 'Not delivered in time', ledger: { charged: true, refunded: true, cents } }
  }
}

/**
 * `count` orders in a fixed proportion (per ten: six delivered, two never picked up, one never
 * delivered, one Swordfish), shuffled so that every phase of the story overlaps with the others.
 */
export function planOrders(count: number, random: () => number = Math.random): PlannedOrder[] {
  const pattern: Array<Omit<PlannedOrder, 'orderId'>> = [
    { productId: 2, driver: 'delivers' },
    { productId: 3, driver: 'delivers' },
    { productId: 4, driver: 'delivers' },
    { productId: 2, driver: 'never-picks-up' },
    { productId: 3, driver: 'delivers' },
    { productId: 1, driver: 'delivers' },
    { productId: 4, driver: 'never-delivers' },
    { productId: 2, driver: 'delivers' },
    { productId: 3, driver: 'never-picks-up' },
    { productId: 4, driver: 'delivers' },
  ]
  const orders = Array.from({ length: count }, (_, index) => ({ orderId: randomUUID(), ...pattern[index % pattern.length]! }))
  for (let index = orders.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1))
    ;[orders[index], orders[other]] = [orders[other]!, orders[index]!]
  }
  return orders
}

/** Orders whose drivers all deliver, on the dishes that get charged: the load run's happy path. */
export function planDeliveries(count: number): PlannedOrder[] {
  const dishes = Object.keys(CHARGEABLE_PRODUCTS).map(Number)
  return Array.from({ length: count }, (_, index) => ({
    orderId: randomUUID(),
    productId: dishes[index % dishes.length]!,
    driver: 'delivers' as const,
  }))
}

export function ledgerExpectations(orders: readonly PlannedOrder[]): Map<string, OrderExpectation> {
  return new Map(orders.map((order) => [order.orderId, expectedEnding(order).ledger]))
}
