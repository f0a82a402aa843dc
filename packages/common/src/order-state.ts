import type { OrderLine, OrderTip } from './cart'

/** The order state machine shared by the workflow, the APIs and both sites. Browser-safe. */
export const ORDER_STATES = [
  'Charging card',
  'Paid',
  // A cart's order only: the restaurant accepted it and is cooking, then it waits for a driver.
  'Preparing',
  'Ready',
  'Picked up',
  'Delivered',
  'Refunding',
  'Failed',
  'Cancelled',
] as const

export type OrderState = (typeof ORDER_STATES)[number]

/** A push notification the customer was actually sent (recorded once the send succeeded). */
export interface SentNotification {
  message: string
  /** When it was sent, ISO 8601 (the workflow's clock). */
  at: string
}

/** The customer's rating of a delivered meal (the `rate` Update). */
export interface OrderRating {
  /** 1 to 5. */
  stars: number
  /** At most 500 characters. */
  comment?: string
  /** When it was given, ISO 8601. */
  at: string
}

/** A shortage the customer is asked about: the restaurant is out of these dishes. */
export interface OrderShortage {
  /** The dishes the restaurant cannot make. */
  productIds: number[]
  /** What going ahead without them gives back (their lines, and the tip's fall when it is a share). */
  refundCents: number
  /** While asked: no answer by then goes ahead without them (ISO 8601). */
  deadline?: string
  /** Once answered: what happened. */
  outcome?: 'went ahead' | 'cancelled' | 'timed out'
}

/** What `getStatus` says of a cart's restaurant step. */
export interface RestaurantStep {
  /** While Paid: when the order is refunded if the restaurant has not accepted it (ISO 8601). */
  acceptDeadline?: string
  /** Once accepted: when the restaurant expects the order ready (ISO 8601). */
  readyBy?: string
  /** When it was accepted and when it was ready (ISO 8601). */
  acceptedAt?: string
  readyAt?: string
  /** Why the restaurant declined, when it did. */
  declined?: string
}

/** What the `getStatus` query answers (the contract in docs/architecture.md). */
export interface OrderStatus {
  productId: number
  state: OrderState
  deliveredAt?: Date
  /** The price fixed when the order was placed, in cents (what is charged, whatever the menu says later). */
  cents?: number
  /** Who picked the order up (through the `pickUp` Update; a `pickedUp` signal names nobody). */
  driverId?: string
  /** Why a Failed or Cancelled order ended, in the workflow's words. */
  failure?: string
  /** Who placed the order (absent for orders started without one, e.g. from the CLI). */
  customerId?: string
  /** Every notification sent so far, oldest first. */
  notifications?: SentNotification[]
  /** While waiting for a driver (Paid; a cart's order: Ready): when the order is refunded if none picked it up (ISO 8601). */
  pickupDeadline?: string
  /** While Picked up: when the order is refunded if it has not been delivered (ISO 8601). */
  deliveryDeadline?: string
  /** After delivery: until when a rating is accepted (ISO 8601). */
  ratingDeadline?: string
  rating?: OrderRating
  // A cart's order (placed with lines) also says:
  /** What is being delivered, at the prices fixed at placement (a line gone for a shortage is left out once settled). */
  lines?: OrderLine[]
  /** The lines' sum, after any shortage (cents). */
  subtotalCents?: number
  tip?: OrderTip
  restaurant?: RestaurantStep
  shortage?: OrderShortage
  /** Given back so far, partial refunds included (cents). */
  refundedCents?: number
  /** Added to the tip with the rating, once charged (cents). */
  extraTipCents?: number
}

/** States after which nothing more happens to an order that a customer or driver can see. */
export function isFinalState(state: OrderState): boolean {
  return state === 'Delivered' || state === 'Failed' || state === 'Cancelled'
}

export function isOrderState(value: unknown): value is OrderState {
  return typeof value === 'string' && (ORDER_STATES as readonly string[]).includes(value)
}
