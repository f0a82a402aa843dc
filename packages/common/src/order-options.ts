import type { Duration } from '@temporalio/common'
import type { OrderLine, OrderTip } from './cart'

/**
 * The waits of the order's story, each optional: the `order` workflow fills in the defaults
 * below. The API passes those the ORDER_* variables set (demos and tests cannot wait minutes).
 * Durations are milliseconds or strings like '30s'.
 */
export interface OrderWaits {
  /** How long a paid order waits for a driver to pick it up before it is refunded. */
  pickupWindow?: Duration
  /** How long a picked-up order waits to be delivered before it is refunded. */
  deliveryWindow?: Duration
  /** How long after delivery the customer is asked to rate the meal. */
  ratingDelay?: Duration
  /** How long after the rating prompt a rating is still accepted; the order then completes. */
  ratingWindow?: Duration
  /**
   * How long the charge may take in all, retries included. Past it the order fails, the customer
   * is told, and a charge that went through without an answer is refunded.
   */
  paymentDeadline?: Duration
  /** A cart's order: how long the restaurant has to accept it once paid, before it is refunded. */
  acceptDeadline?: Duration
  /** A cart's order: how long the customer has to answer a shortage; no answer goes ahead without the dish. */
  shortageDeadline?: Duration
}

/**
 * The optional second argument of `order`: the waits, and what the API fixes when the order is
 * placed (the price it showed, who placed it).
 */
export interface OrderOptions extends OrderWaits {
  /**
   * The price in cents the customer was shown when ordering. Without it the order takes the
   * menu's price when it starts; either way a running order never changes price.
   */
  cents?: number
  /**
   * Who placed the order (the menu's customer id). Kept in the `CustomerId` search attribute so a
   * customer's orders are one visibility query. Orders started without one (the CLI) still run,
   * but nobody can rate them: they end a minute after delivery, as the seed's do.
   */
  customerId?: string
  /**
   * A cart (the menu's orders): its lines at the prices the menu showed. An order with lines
   * takes the restaurant's step (accept, prepare, ready) before a driver can collect it; the
   * first argument, `productId`, must be the first line's dish. Without lines the order is the
   * seed's one dish, with the seed's story.
   */
  lines?: OrderLine[]
  /** A cart's tip, charged with the order (in `cents`, the total, when that is given). */
  tip?: OrderTip
}

/**
 * The workflow's waits when an option is absent: the seed's minute each, two for the payment.
 * The rating window is an hour: it covers a customer who finishes the meal before looking at the
 * phone, and keeps a delivered order open an hour at most (a durable timer: an open order costs
 * the Worker a cache slot it gives up under pressure). A day would leave most of the day's orders
 * open. The sites shorten it in development (`loadOrderWaits`).
 */
export const DEFAULT_ORDER_WAITS = {
  pickupWindow: '1 minute',
  deliveryWindow: '1 minute',
  ratingDelay: '1 minute',
  ratingWindow: '1 hour',
  paymentDeadline: '2 minutes',
  acceptDeadline: '5 minutes',
  shortageDeadline: '2 minutes',
} as const satisfies Required<OrderWaits>
