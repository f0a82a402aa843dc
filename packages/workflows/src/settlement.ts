import { CancellationScope, log, metricMeter } from '@temporalio/workflow'
import { formatCents } from '@durable-delivery/common'
import type { RefundOutcome } from '@durable-delivery/activities'
import { CANCELLED, CANCELLED_UNCHARGED, REFUND_FAILED, type RefundEnding } from './customer-messages'
import { causeMessage, notify, paymentRef, refundOrder } from './order-activities'
import type { OrderModel } from './order-model'

/**
 * How an order that will not go ahead gives the money back. Every ending settles it: delivered
 * and charged once, or refunded, or never charged.
 */

/** Thrown inside the story when the customer's cancellation is accepted; the story settles it. */
export class CustomerCancellation extends Error {}

/**
 * Ends the order Failed once its money is back: `failure` is why (also the failure's message),
 * `type` the failure's type. Runs to the end even when an operator cancels meanwhile.
 */
export async function refundAndFail(
  model: OrderModel,
  ending: RefundEnding,
  ifCharged: boolean,
  failure: { reason: string; message?: string; type: string },
): Promise<never> {
  model.failure = failure.reason
  await CancellationScope.nonCancellable(() => refundTelling(model, ending, ifCharged))
  return model.fail(failure.message ?? failure.reason, failure.type)
}

/** Cancelled by the customer (an Update) or an operator (the root scope): refunds what may have been charged. */
export async function settleCancellation(model: OrderModel, byOperator: boolean): Promise<void> {
  const reason = model.cancelRequest?.reason
  model.failure = byOperator ? 'Cancelled by an operator' : `Cancelled by the customer${reason ? `: ${reason}` : ''}`
  let outcome: RefundOutcome | undefined
  if (model.payment === 'none') await notify(model, CANCELLED_UNCHARGED)
  else outcome = await refundTelling(model, CANCELLED, model.payment === 'maybe')
  model.setState('Cancelled')
  log.info('Order cancelled', { byOperator, refunded: outcome !== undefined && outcome !== 'nothing to refund' })
}

/**
 * Refunding: the customer is told at once that the order will not go ahead, while the refund
 * (which may retry for an hour) runs; then told again once the money is settled, after the first
 * message so that they arrive in order. `ifCharged`: the order does not know whether the charge
 * went through, and nothing charged is a fine answer.
 */
async function refundTelling(model: OrderModel, ending: RefundEnding, ifCharged: boolean): Promise<RefundOutcome> {
  model.setState('Refunding')
  const decided = notify(model, ending.decided)
  const outcome = await refund(model, ifCharged, decided)
  await decided
  await notify(model, ending.settled(outcome))
  return outcome
}

/**
 * A refund that cannot be made ends the order Failed with the reason: the customer is told (after
 * `told`, the message already on its way), the Worker logs and counts it.
 */
async function refund(model: OrderModel, ifCharged: boolean, told: Promise<void>): Promise<RefundOutcome> {
  const priced = model.priced!
  // A cart's partial refund (a shortage) is already back: the service refunds only what is left.
  const summary = `refund ${formatCents(model.refundableCents())} for ${priced.name}${ifCharged ? ' if charged' : ''}`
  try {
    const outcome = await refundOrder.executeWithOptions({ summary }, [priced, { ...paymentRef(), ifCharged }])
    if (outcome !== 'nothing to refund') model.refundedCents = model.cents ?? 0
    return outcome
  } catch (error) {
    return refundFailed(model, error, told)
  }
}

/**
 * A refund that cannot be made (`error`) ends the order Failed with the reason: the customer is
 * told (after `told`, a message already on its way), the Worker logs and counts it.
 */
export async function refundFailed(model: OrderModel, error: unknown, told: Promise<void>): Promise<never> {
  const reason = causeMessage(error)
  metricMeter
    .createCounter(
      'durable_delivery_refund_failures',
      'orders',
      'Orders whose refund failed: each needs an operator to refund by hand',
    )
    .add(1)
  log.error('Refund failed: an operator must refund this order by hand', { reason, cents: model.refundableCents() })
  await told
  await notify(model, REFUND_FAILED)
  return model.fail(`Refund failed: ${reason}`, 'RefundFailed')
}
