import type { Duration } from '@temporalio/common'

/**
 * Optional second argument of `order`: what the API fixes when the order is placed (the price it
 * showed), and the windows of the story, for demos and fault tests that cannot wait minutes.
 * Omitted fields keep the seed's one minute each (two for the payment). Durations are
 * milliseconds or strings like '30s'.
 */
export interface OrderOptions {
  /** How long a paid order waits for a driver to pick it up before it is refunded. */
  pickupWindow?: Duration
  /** How long a picked-up order waits to be delivered before it is refunded. */
  deliveryWindow?: Duration
  /** How long after delivery the customer is asked to rate the meal. */
  ratingDelay?: Duration
  /**
   * How long the charge may take in all, retries included. Past it the order fails, the customer
   * is told, and a charge that went through without an answer is refunded.
   */
  paymentDeadline?: Duration
  /**
   * The price in cents the customer was shown when ordering. Without it the order takes the
   * menu's price when it starts; either way a running order never changes price.
   */
  cents?: number
  /**
   * Who placed the order (the menu's customer id). Kept in the `CustomerId` search attribute so a
   * customer's orders are one visibility query. Orders started without one (CLI) still run.
   */
  customerId?: string
  /** How long after the rating prompt a rating is still accepted; the order then completes. */
  ratingWindow?: Duration
}

export const DEFAULT_WINDOW = '1 minute'
export const DEFAULT_PAYMENT_DEADLINE = '2 minutes'
/**
 * How long a rating is accepted after the prompt. An hour covers a customer who finishes the meal
 * before looking at the phone, and keeps a delivered order in the "running" list for an hour at
 * most: the wait is a durable timer, so an open order costs the Worker nothing but a cache slot it
 * gives up under pressure. Longer (a day) would leave most of the day's orders open.
 */
export const DEFAULT_RATING_WINDOW = '1 hour'

/** The waits alone: what the API reads from ORDER_* variables (in milliseconds) and passes on. */
export type OrderWaits = Pick<
  OrderOptions,
  'pickupWindow' | 'deliveryWindow' | 'ratingDelay' | 'ratingWindow' | 'paymentDeadline'
>
