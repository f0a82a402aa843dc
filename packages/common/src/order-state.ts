/** The order state machine shared by the workflow, the APIs and both sites. Browser-safe. */
export const ORDER_STATES = [
  'Charging card',
  'Paid',
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
  /** While Paid: when the order is refunded if no driver has picked it up (ISO 8601). */
  pickupDeadline?: string
  /** While Picked up: when the order is refunded if it has not been delivered (ISO 8601). */
  deliveryDeadline?: string
  /** After delivery: until when a rating is accepted (ISO 8601). */
  ratingDeadline?: string
  rating?: OrderRating
}

/** States after which nothing more happens to an order that a customer or driver can see. */
export function isFinalState(state: OrderState): boolean {
  return state === 'Delivered' || state === 'Failed' || state === 'Cancelled'
}

export function isOrderState(value: unknown): value is OrderState {
  return typeof value === 'string' && (ORDER_STATES as readonly string[]).includes(value)
}
