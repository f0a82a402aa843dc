import { CancellationScope, condition, log } from '@temporalio/workflow'
import { describeLines } from '@durable-delivery/common'
import { declinedByRestaurant, NOT_ACCEPTED, NOT_PREPARED, preparing, READY } from './customer-messages'
import { causeMessage, notify, paymentRef, restaurantActivity } from './order-activities'
import type { OrderModel } from './order-model'
import { settleShortage } from './cart-money'
import { CustomerCancellation, refundAndFail } from './settlement'
import { shortDuration } from './web-ui'

/** What the restaurant expects when it gives no estimate. */
const DEFAULT_READY_IN_MINUTES = 20

/** How long past its own estimate the order waits for the restaurant to mark it ready before refunding it. */
const PREPARING_GRACE_MS = 60 * 60_000

/**
 * A cart's order, once paid: it is sent to the restaurant, which answers by Update (acceptOrder
 * or declineOrder) within the accept deadline, then prepares it and calls markReady. Resolves
 * once the order is Ready (a driver may collect it); every other ending settles the money and
 * ends the order, or throws the customer's cancellation for the story to settle.
 */
export async function restaurantStep(model: OrderModel): Promise<void> {
  const { acceptDeadline } = model.waits!
  const cart = model.cart!
  model.awaitRestaurant()

  // Sent while the deadline runs: a restaurant may answer before the send's own answer came back.
  const sending = new CancellationScope()
  let sent = false
  const send = restaurantActivity(acceptDeadline)
  void sending
    .run(() =>
      send.executeWithOptions({ summary: `send to the restaurant: ${describeLines(cart.lines)}` }, [
        { ...paymentRef(), lines: cart.lines },
      ]),
    )
    .then(
      () => (sent = true),
      (error: unknown) => {
        sent = true
        log.warn('The order could not be sent to the restaurant', { reason: causeMessage(error) })
      },
    )

  const answered = await condition(
    () => model.restaurantAnswer !== undefined || model.cancelRequest !== undefined,
    acceptDeadline,
    { summary: `accept deadline ${shortDuration(acceptDeadline)}` },
  )
  // Nobody waits for the send any more: the restaurant answered, or it is too late.
  if (!sent) sending.cancel()
  if (model.cancelRequest) throw new CustomerCancellation()
  const answer = model.restaurantAnswer
  if (!answered || answer === undefined)
    return refundAndFail(model, NOT_ACCEPTED, false, {
      reason: 'Not accepted by the restaurant in time',
      type: 'NotAcceptedInTime',
    })
  if ('declined' in answer) {
    const { reason } = answer.declined
    return refundAndFail(model, declinedByRestaurant(reason), false, {
      reason: `Declined by the restaurant${reason ? `: ${reason}` : ''}`,
      type: 'DeclinedByRestaurant',
    })
  }
  const { readyInMinutes = DEFAULT_READY_IN_MINUTES, unavailable = [] } = answer.accepted
  if (unavailable.length > 0) await settleShortage(model, unavailable)

  model.preparing(readyInMinutes)
  await notify(model, preparing(readyInMinutes))
  const bound = readyInMinutes * 60_000 + PREPARING_GRACE_MS
  // The story may reach this wait late (a push retrying while the kitchen cooks): a driver may
  // already have collected, even delivered, the order. Only an order still cooking is late.
  if ((await model.waitWhile('Preparing', bound, `ready within ${shortDuration(bound)}`)) === 'Preparing')
    return refundAndFail(model, NOT_PREPARED, false, { reason: 'Not prepared in time', type: 'NotPreparedInTime' })
  // Told only while it waits for a driver: "ready" after "picked up" would tell the customer nothing.
  if (model.state === 'Ready') await notify(model, READY)
}
