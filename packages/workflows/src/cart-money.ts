import { CancellationScope, condition, isCancellation } from '@temporalio/workflow'
import { formatCents, getProductById } from '@durable-delivery/common'
import { extraTipCharged, extraTipDeclined, shortageQuestion, shortageSettled } from './customer-messages'
import { causeMessage, chargeExtraTipActivity, notify, paymentRef, refundOrder } from './order-activities'
import type { OrderModel } from './order-model'
import { CustomerCancellation, refundFailed } from './settlement'
import { shortDuration } from './web-ui'

/**
 * A cart's money beyond the one charge at checkout: the partial refund of a shortage, and the
 * extra tip with the rating. Each is its own entry in the payment service's ledger, under its
 * own idempotency key, so a retry or a crash never moves the money twice.
 */

/**
 * The restaurant is out of some dishes: the customer chooses within the shortage deadline (no
 * answer goes ahead). Going ahead refunds those lines (and a share tip's fall); a cancel throws
 * the customer's cancellation, which refunds what is left.
 */
export async function settleShortage(model: OrderModel, unavailable: number[]): Promise<void> {
  const { shortageDeadline } = model.waits!
  model.askShortage(unavailable)
  const dishes = unavailable.map((id) => getProductById(id)?.name ?? String(id)).join(' and ')
  const refund = formatCents(model.shortage!.refundCents)
  await notify(model, shortageQuestion(dishes, refund, shortDuration(shortageDeadline)))
  const answered = await condition(
    () => model.shortageGoAhead !== undefined || model.cancelRequest !== undefined,
    shortageDeadline,
    { summary: `shortage answer within ${shortDuration(shortageDeadline)}` },
  )
  if (model.cancelRequest) {
    model.settleShortage('cancelled')
    throw new CustomerCancellation()
  }
  // Decided from here on: a cancel is now refused, as it is once the restaurant cooks.
  model.shortageGoAhead = true
  const refundCents = model.shortage!.refundCents
  // The refund settles even when an operator cancels meanwhile (the cancel then refunds the rest).
  await CancellationScope.nonCancellable(async () => {
    try {
      await refundOrder.executeWithOptions({ summary: `refund ${refund} for the shortage of ${dishes}` }, [
        model.priced!,
        { ...paymentRef(), cents: refundCents, purpose: 'shortage' },
      ])
    } catch (error) {
      return refundFailed(model, error, Promise.resolve())
    }
    model.settleShortage(answered ? 'went ahead' : 'timed out')
    await notify(model, shortageSettled(dishes, refund))
  })
}

/**
 * The extra tip the rating asked for, charged once under `<orderId>:<paymentId>:extra-tip`. A
 * decline tells the customer; the order completes either way.
 */
export async function chargeExtraTip(model: OrderModel, cents: number): Promise<void> {
  const amount = formatCents(cents)
  try {
    await chargeExtraTipActivity.executeWithOptions({ summary: `charge ${amount} extra tip` }, [
      { ...model.priced!, cents },
      { ...paymentRef(), purpose: 'extra-tip' },
    ])
  } catch (error) {
    if (isCancellation(error)) throw error
    await notify(model, extraTipDeclined(amount, causeMessage(error)))
    return
  }
  model.extraTipCharged(cents)
  await notify(model, extraTipCharged(amount))
}
