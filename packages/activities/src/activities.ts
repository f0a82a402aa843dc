import { ApplicationFailure } from '@temporalio/common'
import { Context, log } from '@temporalio/activity'
import type { Product } from '@durable-delivery/common'
import {
  PaymentDeclinedError,
  RefundRejectedError,
  type NotificationService,
  type PaymentService,
} from './services'

export interface ActivityDeps {
  payments: PaymentService
  notifications: NotificationService
}

/** Which order (workflow id) this activity works for, a key unique to this activity call, and its cancellation. */
function currentCall(): { orderId: string; activityId: string; signal: AbortSignal } {
  const { info, cancellationSignal: signal } = Context.current()
  const orderId = info.workflowExecution?.workflowId
  // Standalone activity executions have no workflow, hence no order to charge or notify about.
  if (!orderId) throw ApplicationFailure.create({ message: 'Order activities run only within an order workflow', nonRetryable: true })
  return { orderId, activityId: info.activityId, signal }
}

/**
 * The order's activities, wired to their services. Failure vocabulary: a plain Error (what the
 * services throw for transient faults) is retried by Temporal; a business refusal becomes a
 * non-retryable ApplicationFailure. Idempotency keys derive from the workflow id, which is the
 * order id, so every retry of one order's charge carries the same key.
 */
export function createActivities({ payments, notifications }: ActivityDeps) {
  return {
    async chargeCustomer(product: Product): Promise<void> {
      const { orderId, signal } = currentCall()
      try {
        const charged = await payments.charge({ orderId, cents: product.cents, idempotencyKey: `${orderId}:charge`, signal })
        log.info(charged ? 'Charged customer' : 'Charge already recorded', { orderId, cents: product.cents })
      } catch (error) {
        if (error instanceof PaymentDeclinedError) {
          throw ApplicationFailure.create({ message: error.message, type: 'CardDeclined', nonRetryable: true })
        }
        throw error
      }
    },

    async refundOrder(product: Product): Promise<void> {
      const { orderId, signal } = currentCall()
      try {
        const refunded = await payments.refund({ orderId, idempotencyKey: `${orderId}:refund`, signal })
        log.info(refunded ? 'Refunded order' : 'Refund already recorded', { orderId, cents: product.cents })
      } catch (error) {
        if (error instanceof RefundRejectedError) {
          throw ApplicationFailure.create({ message: error.message, type: 'RefundRejected', nonRetryable: true })
        }
        throw error
      }
    },

    async sendPushNotification(message: string): Promise<void> {
      const { orderId, activityId, signal } = currentCall()
      // The activity id is stable across retries and unique within the workflow run.
      const sent = await notifications.send({ orderId, message, idempotencyKey: `${orderId}:push:${activityId}`, signal })
      log.info(sent ? 'Sent push notification' : 'Push notification already sent', { orderId, message })
    },
  }
}

export type OrderActivities = ReturnType<typeof createActivities>
