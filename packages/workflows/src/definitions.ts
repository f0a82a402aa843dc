import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow'
import type { OrderRating, OrderStatus } from '@durable-delivery/common'

/**
 * The messages an `order` workflow accepts. Their names are the Temporal contract (docs/architecture.md):
 * the CLI, the Web UI and other programs send them by name. API routes import this module
 * without importing workflow code.
 */
export const pickedUpSignal = defineSignal('pickedUp')
export const deliveredSignal = defineSignal('delivered')
export const getStatusQuery = defineQuery<OrderStatus>('getStatus')

/** The driver acting on the order: the signed-in driver's id, which the API takes from the session. */
export interface DriverInput {
  driverId: string
}

export interface CancelInput {
  /** What the customer said, kept as the order's failure reason. */
  reason?: string
}

/** The workflow's answer to an accepted cancellation: the refund and the notification follow. */
export interface CancelAnswer {
  accepted: true
  message: string
}

/** The customer's rating: 1-5 stars, an optional comment of at most 500 characters. */
export interface RateInput {
  stars: number
  comment?: string
  /** A cart's order: added to the tip, charged on its own (cents, 1 to TIP_LIMITS.maxCents). */
  extraTipCents?: number
}

/** The restaurant takes the order; `unavailable` names dishes of the order it is out of. */
export interface AcceptInput {
  /** How long it expects to take, in minutes (a whole number, 1-240); the restaurant's estimate. */
  readyInMinutes?: number
  /** Dishes of the order it cannot make: the customer is asked whether to go ahead without them. */
  unavailable?: number[]
}

export interface DeclineInput {
  /** What the restaurant said, shown to the customer. */
  reason?: string
}

/** The customer's answer to a shortage: go ahead without the dishes (a partial refund), or cancel (a full one). */
export interface ShortageAnswer {
  goAhead: boolean
}

/**
 * Updates: the caller gets the workflow's own answer at once. Each validator refuses what the
 * state does not allow (a second driver racing the first, a pickup after the window closed, a
 * cancellation after pickup), so exactly one of two racing calls wins.
 */
export const pickUpUpdate = defineUpdate<OrderStatus, [DriverInput]>('pickUp')
export const deliverUpdate = defineUpdate<OrderStatus, [DriverInput]>('deliver')
export const cancelOrderUpdate = defineUpdate<CancelAnswer, [CancelInput]>('cancelOrder')
/** Once, only after delivery; the order completes after it (or after the rating window). */
export const rateUpdate = defineUpdate<OrderRating, [RateInput]>('rate')
/**
 * Answers the order's status once the charge has settled (Paid, or where a cancellation or a
 * decline took it), at once if it already has. The API sends it right after placing an order, so
 * the customer sees Paid in the answer instead of waiting for the next status. Accepted in every
 * state; it changes nothing.
 */
export const waitForPaymentUpdate = defineUpdate<OrderStatus, []>('waitForPayment')

/**
 * A cart's restaurant step (orders placed with lines): the restaurant's system calls these back
 * (the simulated one from the Worker, an operator from the CLI). Each answers the order's status.
 * acceptOrder and declineOrder only while Paid (awaiting the restaurant), markReady only while
 * Preparing.
 */
export const acceptOrderUpdate = defineUpdate<OrderStatus, [AcceptInput]>('acceptOrder')
export const declineOrderUpdate = defineUpdate<OrderStatus, [DeclineInput]>('declineOrder')
export const markReadyUpdate = defineUpdate<OrderStatus, []>('markReady')
/** The customer answers a shortage, while asked; answers the order's status. */
export const answerShortageUpdate = defineUpdate<OrderStatus, [ShortageAnswer]>('answerShortage')

/** The workflow type name. Start orders by this name: Next's minifier renames functions. */
export const ORDER_WORKFLOW_TYPE = 'order'

// The Web UI's name for an order, given by the API when it starts one (pure: no workflow code).
export { orderStartMetadata, type OrderStartInput, type OrderStartMetadata } from './start-metadata'
