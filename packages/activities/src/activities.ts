import { ApplicationFailure } from '@temporalio/common'
import { Context, log } from '@temporalio/activity'
import type { OrderLine, Product } from '@durable-delivery/common'
import { IdempotencyKeyReusedError } from './ledger'
import type { SimulatedRestaurant } from './restaurant'
import {
  PaymentDeclinedError,
  PaymentVoidedError,
  RefundRejectedError,
  type NotificationService,
  type PaymentService,
  type RefundOutcome,
} from './services'

/** The order run's payment, fixed when the order started (its first run id). */
export interface PaymentRef {
  paymentId: string
}

/** A cart's charge: its dishes (the card judges each), or the extra tip added with the rating. */
export interface ChargeOptions extends PaymentRef {
  lines?: OrderLine[]
  /** `extra-tip`: a second charge of the order, under its own key `<orderId>:<paymentId>:extra-tip`. */
  purpose?: 'extra-tip'
}

export interface RefundOptions {
  /** Absent for orders placed before payments had ids: their keys derive from the order id alone. */
  paymentId?: string
  /** The order does not know whether it was charged: nothing to refund is then a fine answer. */
  ifCharged?: boolean
  /**
   * A partial refund of this many cents for `purpose` (a shortage), under its own key. Without
   * it the refund gives back whatever of the charge is left.
   */
  cents?: number
  purpose?: 'shortage'
}

/** What the restaurant is sent: the cart's lines, under the order run's payment. */
export interface RestaurantOrder extends PaymentRef {
  lines: OrderLine[]
}

export interface ActivityDeps {
  payments: PaymentService
  notifications: NotificationService
  /** Absent: an order sent to the restaurant fails without retrying (a Worker wired without one). */
  restaurant?: SimulatedRestaurant
}

/** Which order (workflow id) this activity works for, a key unique to this activity call, and its cancellation. */
function currentCall(): { orderId: string; activityId: string; signal: AbortSignal } {
  const { info, cancellationSignal: signal } = Context.current()
  const orderId = info.workflowExecution?.workflowId
  // Standalone activity executions have no workflow, hence no order to charge or notify about.
  if (!orderId)
    throw ApplicationFailure.create({
      message: 'Order activities run only within an order workflow',
      nonRetryable: true,
    })
  return { orderId, activityId: info.activityId, signal }
}

/**
 * The order's activities, wired to their services. Failure vocabulary: a plain Error (what the
 * services throw for transient faults) is retried by Temporal; a business refusal becomes a
 * non-retryable ApplicationFailure. Idempotency keys derive from the order id (the workflow id)
 * and the order run's payment id, so every retry of one order's charge carries the same key and
 * an order id used again is a new payment. Orders placed before payment ids pass none and keep
 * their old keys.
 */
export function createActivities({ payments, notifications, restaurant }: ActivityDeps) {
  return {
    /** Charges `product.cents`: the dish, a cart's total (with `lines`), or the extra tip. */
    async chargeCustomer(product: Product, payment?: ChargeOptions): Promise<void> {
      const { orderId, signal } = currentCall()
      const paymentId = payment?.paymentId
      const purpose = payment?.purpose
      const suffix = purpose ?? 'charge'
      const idempotencyKey = paymentId === undefined ? `${orderId}:${suffix}` : `${orderId}:${paymentId}:${suffix}`
      try {
        const charged = await payments.charge({
          orderId,
          ...(paymentId === undefined ? {} : { paymentId }),
          cents: product.cents,
          idempotencyKey,
          ...(payment?.lines ? { lines: payment.lines } : {}),
          ...(purpose ? { purpose } : {}),
          signal,
        })
        log.info(charged ? 'Charged customer' : 'Charge already recorded', {
          orderId,
          paymentId,
          cents: product.cents,
          purpose: purpose ?? 'order',
        })
      } catch (error) {
        throw businessFailure(error) ?? error
      }
    },

    async refundOrder(product: Product, options: RefundOptions = {}): Promise<RefundOutcome> {
      const { orderId, signal } = currentCall()
      const { paymentId, ifCharged, cents, purpose } = options
      // A partial refund has a key of its own: the full refund after it is a separate entry.
      const suffix = purpose === undefined ? 'refund' : `${purpose}-refund`
      const idempotencyKey = paymentId === undefined ? `${orderId}:${suffix}` : `${orderId}:${paymentId}:${suffix}`
      try {
        const outcome = await payments.refund({
          orderId,
          ...(paymentId === undefined ? {} : { paymentId }),
          idempotencyKey,
          ifCharged,
          ...(cents === undefined ? {} : { cents }),
          ...(purpose === undefined ? {} : { purpose }),
          signal,
        })
        const said = {
          refunded: 'Refunded order',
          'already refunded': 'Refund already recorded',
          'nothing to refund': 'Nothing to refund: payment voided',
        }
        log.info(said[outcome], { orderId, paymentId, cents: cents ?? 'what is left', purpose: purpose ?? 'full' })
        return outcome
      } catch (error) {
        throw businessFailure(error) ?? error
      }
    },

    /** Sends a cart's order to the restaurant, once per order run: it calls back by Update (restaurant.ts). */
    async sendOrderToRestaurant(order: RestaurantOrder): Promise<void> {
      const { orderId, signal } = currentCall()
      if (!restaurant)
        throw ApplicationFailure.create({
          message: 'This Worker has no restaurant to send orders to',
          nonRetryable: true,
        })
      const received = await restaurant.receive({
        orderId,
        lines: order.lines,
        idempotencyKey: `${orderId}:${order.paymentId}:restaurant`,
        signal,
      })
      log.info(received ? 'Sent order to the restaurant' : 'Restaurant already has the order', { orderId })
    },

    async sendPushNotification(message: string): Promise<void> {
      const { orderId, activityId, signal } = currentCall()
      // The activity id is stable across retries and unique within the workflow run.
      const sent = await notifications.send({
        orderId,
        message,
        idempotencyKey: `${orderId}:push:${activityId}`,
        signal,
      })
      log.info(sent ? 'Sent push notification' : 'Push notification already sent', { orderId, message })
    },
  }
}

/** The services' refusals, as non-retryable failures (retrying would get the same answer); undefined for transient errors. */
function businessFailure(error: unknown): ApplicationFailure | undefined {
  const types = [
    [PaymentDeclinedError, 'CardDeclined'],
    [RefundRejectedError, 'RefundRejected'],
    [PaymentVoidedError, 'PaymentVoided'],
    [IdempotencyKeyReusedError, 'IdempotencyKeyReused'],
  ] as const
  for (const [kind, type] of types) {
    if (error instanceof kind) {
      if (kind === IdempotencyKeyReusedError)
        log.error('Payment service refused a reused idempotency key', { message: error.message })
      return ApplicationFailure.create({ message: error.message, type, nonRetryable: true })
    }
  }
  return undefined
}

export type OrderActivities = ReturnType<typeof createActivities>
