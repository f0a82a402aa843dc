import { ActivityCancellationType, proxyActivities, workflowInfo } from '@temporalio/workflow'
import type { RetryPolicy } from '@temporalio/common'
import { errorMessage } from '@durable-delivery/common'
import type { OrderActivities, PaymentRef } from '@durable-delivery/activities'
import type { OrderModel } from './order-model'
import { notificationSummary } from './web-ui'

// Transient failures retry (the seed's promise); business refusals are non-retryable
// ApplicationFailures thrown by the activities.
const RETRY: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds' }

// Each call to the simulated services is quick; a stuck call is retried rather than awaited.
// Notifications retry without limit: a customer is always told in the end.
const { sendPushNotification } = proxyActivities<OrderActivities>({ startToCloseTimeout: '10 seconds', retry: RETRY })

/**
 * A refund retries for up to an hour (a payment service outage); past that, or refused outright,
 * the order ends Failed with the reason, the customer is told, and the Worker logs and counts it.
 */
export const { refundOrder } = proxyActivities<OrderActivities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: RETRY,
})

/**
 * The extra tip added with the rating: the customer asked for it after the meal, so it retries
 * for as long as the payment service is down, under one key (charged once, whatever the
 * retries and crashes); a decline is the customer's answer.
 */
export const { chargeCustomer: chargeExtraTipActivity } = proxyActivities<OrderActivities>({
  startToCloseTimeout: '10 seconds',
  retry: RETRY,
})

/** A cart's order goes to the restaurant; past the accept deadline nobody waits for it any more. */
export function restaurantActivity(acceptDeadline: number) {
  return proxyActivities<OrderActivities>({
    startToCloseTimeout: '10 seconds',
    scheduleToCloseTimeout: acceptDeadline,
    retry: RETRY,
  }).sendOrderToRestaurant
}

/** The charge, within the order's payment deadline (milliseconds). */
export function chargeActivity(paymentDeadline: number) {
  return proxyActivities<OrderActivities>({
    startToCloseTimeout: '10 seconds',
    // The overall deadline of the payment, retries included, enforced by the server even while
    // no Worker runs. A last attempt may still land after it: the refund voids it.
    scheduleToCloseTimeout: paymentDeadline,
    retry: RETRY,
    // A cancelled charge is awaited until the service has answered or the retries stopped.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  }).chargeCustomer
}

/**
 * The key of this order's charge and refund: the run, so that a reused order id is a new order,
 * charged again (`firstExecutionRunId` is fixed when the order starts, kept by continue-as-new and reset).
 */
export function paymentRef(): PaymentRef {
  return { paymentId: workflowInfo().firstExecutionRunId }
}

/** Sends the customer a push notification, and records it once it was sent (retries record nothing). */
export async function notify(model: OrderModel, message: string): Promise<void> {
  await sendPushNotification.executeWithOptions({ summary: notificationSummary(message) }, [message])
  model.notifications.push({ message, at: new Date().toISOString() })
}

/** The activity's own message for a failed call (ActivityFailure wraps the real cause). */
export function causeMessage(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message
  return errorMessage(error)
}
