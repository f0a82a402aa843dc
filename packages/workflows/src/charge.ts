import { ActivityFailure, CancellationScope, isCancellation, TimeoutFailure } from '@temporalio/workflow'
import { CancelledFailure, RetryState } from '@temporalio/common'
import { formatCents } from '@durable-delivery/common'
import { paymentDeclined, paymentNotConfirmed } from './customer-messages'
import { causeMessage, chargeActivity, notify, paymentRef } from './order-activities'
import type { OrderModel } from './order-model'
import { CustomerCancellation, refundAndFail } from './settlement'

/**
 * Charges the card within the payment deadline, in `chargeScope` (a customer's cancellation
 * stops its retries). Answers once charged; otherwise ends the order: declined (nothing charged),
 * or no answer in time (refunded if it went through), or throws the cancellation to settle.
 */
export async function charge(model: OrderModel, chargeScope: CancellationScope): Promise<void> {
  const priced = model.priced!
  const { paymentDeadline } = model.waits!
  const chargeCustomer = chargeActivity(paymentDeadline)
  model.payment = 'maybe'
  try {
    const summary = `charge ${formatCents(priced.cents)} for ${priced.name}`
    // A cart's charge names its dishes: the card judges each one, not the total.
    const payment = model.cart ? { ...paymentRef(), lines: model.cart.lines } : paymentRef()
    await chargeScope.run(() => chargeCustomer.executeWithOptions({ summary }, [priced, payment]))
    model.payment = 'charged'
  } catch (error) {
    if (isCancellation(error)) throw error
    // A charge cancelled while an attempt was in flight ends with that attempt's own failure
    // (the server retries no cancelled activity), and the attempt may have charged: settle it
    // as the cancellation it is, refunding if charged, never as a failed payment.
    if (model.cancelRequest) throw new CustomerCancellation()
    if (CancellationScope.current().consideredCancelled)
      throw new CancelledFailure('Cancelled while the charge was in flight')
    // The deadline ends the retries (RetryState TIMEOUT) or the attempt in flight (a TimeoutFailure).
    if (
      error instanceof ActivityFailure &&
      (error.retryState === RetryState.TIMEOUT || error.cause instanceof TimeoutFailure)
    ) {
      // No answer within the deadline: the charge may have gone through, so void or refund it.
      const deadline = `${Math.round(paymentDeadline / 1000)} seconds`
      return refundAndFail(model, paymentNotConfirmed(priced.name), true, {
        reason: `Payment not confirmed within ${deadline}`,
        message: `Payment not confirmed within ${deadline}: the payment service did not answer`,
        type: 'PaymentTimedOut',
      })
    }
    model.payment = 'none'
    const message = paymentDeclined(priced.name, causeMessage(error))
    // Decided: the card shows Failed and a cancel is refused while the customer is being told.
    model.markFailed(message)
    await CancellationScope.nonCancellable(() => notify(model, message))
    return model.fail(message, 'PaymentFailed')
  }
}
