import {
  CancellationScope,
  condition,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import type { OrderOptions } from '@durable-delivery/common'
import { CUSTOMER_ID } from '@durable-delivery/common/search-attributes'
import { chargeExtraTip } from './cart-money'
import { charge } from './charge'
import { DELIVERED, NOT_DELIVERED, NOT_PICKED_UP, PICKED_UP } from './customer-messages'
import {
  acceptOrderUpdate,
  answerShortageUpdate,
  cancelOrderUpdate,
  declineOrderUpdate,
  deliveredSignal,
  deliverUpdate,
  getStatusQuery,
  markReadyUpdate,
  pickedUpSignal,
  pickUpUpdate,
  rateUpdate,
  waitForPaymentUpdate,
  type AcceptInput,
  type DriverInput,
  type RateInput,
} from './definitions'
import { notify } from './order-activities'
import { OrderModel } from './order-model'
import { waitForRating } from './rating'
import { readOptions } from './read-options'
import {
  acceptInputRefusal,
  declineInputRefusal,
  driverRefusal,
  ratingInputRefusal,
  reasonRefusal,
  refuse,
  shortageAnswerRefusal,
} from './refusals'
import { restaurantStep } from './restaurant-step'
import { CustomerCancellation, refundAndFail, settleCancellation } from './settlement'
import { shortDuration } from './web-ui'

/**
 * The patch (docs/architecture.md, "Versioning", v3): the first task upserts the search attributes
 * the start did not give, in one command, instead of the dish and the state in two. Histories
 * without its marker (v1, v2) replay the two upserts.
 */
const START_ATTRIBUTES_ONCE = 'start-search-attributes-once'

/**
 * One customer's order, from charging the card to asking for a rating (docs/architecture.md, the
 * state machine). The first argument is the contract's `productId`; `options` may fix the price,
 * name the customer and shorten the waits. Every ending settles the money.
 */
export async function order(productId: number, options: OrderOptions = {}): Promise<void> {
  const startAttributesOnce = patched(START_ATTRIBUTES_ONCE)
  const model = new OrderModel(productId, startAttributesOnce)
  /** The charge runs in its own scope, so a customer's cancellation can stop its retries. */
  const chargeScope = new CancellationScope()
  handleMessages(model, chargeScope)

  // Input a user can send must end the order cleanly, never crash the workflow task in a loop.
  if (!model.product) return model.fail(`Unknown product: ${JSON.stringify(productId)}`, 'UnknownProduct')
  const checked = readOptions(options, productId)
  if (typeof checked === 'string') return model.fail(checked, 'InvalidOrderOptions')
  model.accept(checked, model.product)
  if (startAttributesOnce) model.upsertStarted()
  // Before the patch: the API sets CustomerId when it starts the order; an order started with the
  // option alone (the CLI) gets it here. Already there, a second upsert would only add a command.
  else if (model.customerId !== undefined && workflowInfo().typedSearchAttributes.get(CUSTOMER_ID) === undefined)
    upsertSearchAttributes([{ key: CUSTOMER_ID, value: model.customerId }])
  model.showDetails()
  const { pickupWindow, deliveryWindow } = checked.waits

  try {
    await charge(model, chargeScope)
    if (model.cancelRequest) throw new CustomerCancellation()
    // A cart's order waits for the restaurant (restaurant-step.ts); its pickup window runs from Ready.
    if (model.cart) await restaurantStep(model)
    else model.paid()

    // The state, not the timer, decides: a pickup accepted in the very task in which the window
    // closes is honoured, never refunded behind the driver's back.
    const afterPickup = await model.waitWhile(
      model.cart ? 'Ready' : 'Paid',
      model.cart ? Math.max(1, Date.parse(model.pickupDeadline!) - Date.now()) : pickupWindow,
      `pickup window ${shortDuration(pickupWindow)}`,
    )
    if (model.cancelRequest) throw new CustomerCancellation()
    // A cart's driver may have collected and delivered it while the story was still telling
    // the customer it was ready: delivered is past the pickup, never a reason to refund.
    if (afterPickup !== 'Picked up' && afterPickup !== 'Delivered')
      return await refundAndFail(model, NOT_PICKED_UP, false, {
        reason: 'Not picked up in time',
        type: 'NotPickedUpInTime',
      })
    await notify(model, PICKED_UP)

    model.awaitingDelivery()
    const afterDelivery = await model.waitWhile(
      'Picked up',
      deliveryWindow,
      `delivery window ${shortDuration(deliveryWindow)}`,
    )
    if (afterDelivery !== 'Delivered')
      return await refundAndFail(model, NOT_DELIVERED, false, {
        reason: 'Not delivered in time',
        type: 'NotDeliveredInTime',
      })

    // Rateable since the delivery (deliver()); the push goes out meanwhile, and always goes out.
    const deliveredPush = CancellationScope.nonCancellable(() => notify(model, DELIVERED))
    try {
      await waitForRating(model, deliveredPush)
    } finally {
      await deliveredPush
    }
    // Asked for with the rating (a cart's order): charged once, even if an operator cancels meanwhile.
    const extraTip = model.extraTipAsked
    if (extraTip !== undefined) await CancellationScope.nonCancellable(() => chargeExtraTip(model, extraTip))
  } catch (error) {
    // An operator's cancel (Web UI, CLI) cancels the root scope; a customer's comes as an Update.
    const byOperator = CancellationScope.current().consideredCancelled
    const cancelled =
      error instanceof CustomerCancellation ||
      (isCancellation(error) && (byOperator || model.cancelRequest !== undefined))
    if (!cancelled) throw error
    // A delivered meal stays paid for: an operator's cancel then only skips the rating.
    if (model.state === 'Delivered') {
      model.closeRating('The order was closed by an operator: it can no longer be rated')
      throw error
    }
    await CancellationScope.nonCancellable(() => settleCancellation(model, byOperator))
    // Rethrown, Temporal closes the order Canceled, as the operator asked; a customer's
    // cancellation is the order doing what it was asked: it completes.
    if (byOperator) throw error
  }
}

/**
 * The contract's signals and query, and the Updates. Out-of-order signals change nothing: each
 * only moves the state forward from the one before. The Updates' validators run before anything
 * changes (a refused call leaves no trace in the history), and the handlers change the state
 * synchronously, so the second of two racing calls is refused.
 */
function handleMessages(model: OrderModel, chargeScope: CancellationScope): void {
  setHandler(pickedUpSignal, () => {
    if (model.pickUpRefusal() === undefined) model.pickUp(undefined)
  })
  setHandler(deliveredSignal, () => {
    if (model.state === 'Picked up') model.deliver()
  })
  setHandler(getStatusQuery, () => model.status())
  setHandler(
    pickUpUpdate,
    (input) => {
      model.pickUp(input.driverId)
      return model.status()
    },
    { validator: (input) => refuse(driverRefusal(input) ?? model.pickUpRefusal()) },
  )
  setHandler(
    deliverUpdate,
    () => {
      model.deliver()
      return model.status()
    },
    { validator: (input: DriverInput) => refuse(driverRefusal(input) ?? model.deliverRefusal(input.driverId)) },
  )
  setHandler(
    cancelOrderUpdate,
    (input) => {
      const reason = input?.reason?.trim()
      model.cancelRequest = reason ? { reason } : {}
      // A charge still retrying stops now; one that already went through is refunded.
      if (model.state === 'Charging card') chargeScope.cancel()
      return { accepted: true, message: 'Your order is cancelled. Anything charged will be refunded.' } as const
    },
    { validator: (input) => refuse(reasonRefusal(input) ?? model.cancelRefusal()) },
  )
  setHandler(rateUpdate, (input) => model.rate(input), {
    validator: (input: RateInput) =>
      refuse(ratingInputRefusal(input) ?? model.rateRefusal() ?? model.extraTipRefusal(input)),
  })
  // A cart's restaurant step: the restaurant's callbacks, and the customer's answer to a shortage.
  setHandler(
    acceptOrderUpdate,
    (input) => {
      const { readyInMinutes, unavailable } = input ?? {}
      model.restaurantAccepted({
        ...(readyInMinutes !== undefined ? { readyInMinutes } : {}),
        ...(unavailable !== undefined && unavailable.length > 0 ? { unavailable: [...unavailable] } : {}),
      })
      return model.status()
    },
    {
      validator: (input: AcceptInput | undefined) =>
        refuse(acceptInputRefusal(input) ?? model.restaurantAnswerRefusal() ?? model.unavailableRefusal(input ?? {})),
    },
  )
  setHandler(
    declineOrderUpdate,
    (input) => {
      model.restaurantDeclined(input ?? {})
      return model.status()
    },
    { validator: (input) => refuse(declineInputRefusal(input) ?? model.restaurantAnswerRefusal()) },
  )
  setHandler(
    markReadyUpdate,
    () => {
      model.ready()
      return model.status()
    },
    { validator: () => refuse(model.markReadyRefusal()) },
  )
  setHandler(
    answerShortageUpdate,
    (input) => {
      // Cancelling is the customer's cancellation: the story refunds what is left.
      if (input.goAhead) model.shortageGoAhead = true
      else model.cancelRequest = { reason: 'the restaurant is out of a dish' }
      model.showDetails()
      return model.status()
    },
    { validator: (input) => refuse(shortageAnswerRefusal(input) ?? model.answerShortageRefusal()) },
  )
  setHandler(waitForPaymentUpdate, async () => {
    // Every ending leaves Charging card first (a decline sets Failed before the order fails).
    await condition(() => model.state !== 'Charging card')
    return model.status()
  })
}
