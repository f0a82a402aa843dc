import type { Duration } from '@temporalio/common'

/**
 * Optional second argument of `order`: the windows of the story, for demos and fault tests that
 * cannot wait minutes. Omitted fields keep the seed's one minute each. Durations are milliseconds
 * or strings like '30s'.
 */
export interface OrderOptions {
  /** How long a paid order waits for a driver to pick it up before it is refunded. */
  pickupWindow?: Duration
  /** How long a picked-up order waits to be delivered before it is refunded. */
  deliveryWindow?: Duration
  /** How long after delivery the customer is asked to rate the meal. */
  ratingDelay?: Duration
}

export const DEFAULT_WINDOW = '1 minute'
