import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  metricMeter,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  TimeoutFailure,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import { CancelledFailure, RetryState, type RetryPolicy, type SearchAttributeUpdatePair } from '@temporalio/common'
import {
  errorMessage,
  formatCents,
  getProductById,
  type OrderOptions,
  type OrderRating,
  type OrderState,
  type OrderStatus,
  type Product,
  type SentNotification,
} from '@durable-delivery/common'
import { CUSTOMER_ID, DRIVER_ID, ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import type { OrderActivities, PaymentRef, RefundOutcome } from '@durable-delivery/activities'
import {
  cancelOrderUpdate,
  deliveredSignal,
  deliverUpdate,
  getStatusQuery,
  pickedUpSignal,
  pickUpUpdate,
  rateUpdate,
  waitForPaymentUpdate,
  type CancelInput,
  type DriverInput,
} from './definitions'
import { readOptions } from './read-options'
import { driverRefusal, ratingInputRefusal, reasonRefusal, refuse } from './refusals'
import { currentDetails, notificationSummary, shortDuration } from './web-ui'

/**
 * Orders started before this change charged and refunded under keys derived from the workflow id
 * alone, so a reused order id was never charged again. New orders key their payment on the run
 * (`firstExecutionRunId`, fixed when the order starts and kept by continue-as-new and reset).
 * Running orders without the marker keep their old keys: their charge is already on the ledger
 * under them.
 */
const PAYMENT_ID_PATCH = 'payment-id-per-run'

/**
 * Orders started before `customerId` and `ratingWindow` existed ignored those options, whatever
 * they held; replayed, they still do, so a value that was ignored then cannot fail them now (and
 * the CustomerId upsert, a new command, is not asked of their histories). Asked only of orders
 * started with one of the two, so other orders record no marker.
 */
const NEW_OPTIONS_PATCH = 'customer-id-and-rating-window-options'

/**
 * Orders that reached the rating prompt's timer before ratings shipped slept, prompted and
 * completed; replayed, they still do, and take no rating. The others wait for the rating: the
 * prompt's timer ends early when the customer rates first, and a new timer, the rating window,
 * follows the prompt.
 */
const RATING_WINDOW_PATCH = 'rating-window'

/**
 * The driver list reads visibility only, never a Query per order: the pickup and delivery
 * deadlines (for the countdowns) and the stars (shown on the delivered order) go into the memo, which visibility lists
 * with each order. Orders that reached those points before it replay without the new commands.
 */
const DRIVER_LIST_MEMO_PATCH = 'driver-list-memo'

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
const { refundOrder } = proxyActivities<OrderActivities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: RETRY,
})

/** Thrown inside the story when the customer's cancellation is accepted; caught below. */
class CustomerCancellation extends Error {}

/**
 * One customer's order, from charging the card to asking for a rating (docs/architecture.md, the state machine).
 * The first argument is the contract's `productId`; `options` may fix the price and shorten the
 * waits. Every ending settles the money: delivered and charged once, or refunded, or never charged.
 */
export async function order(productId: number, options: OrderOptions = {}): Promise<void> {
  const root = CancellationScope.current()
  let state: OrderState = 'Charging card'
  let deliveredAt: Date | undefined
  let driverId: string | undefined
  let failure: string | undefined
  // Declared before the handlers (getStatus may run first), set once when the price is fixed.
  // eslint-disable-next-line prefer-const
  let cents: number | undefined
  /** Set once the customer's cancelOrder was accepted. */
  let cancelRequest: CancelInput | undefined
  /** What the payment service may hold for this order: decides what an ending must refund. */
  let payment: 'none' | 'maybe' | 'charged' = 'none'
  /** The charge runs in its own scope, so a customer's cancellation can stop its retries. */
  const chargeScope = new CancellationScope()
  // The product is known before any handler can run; declared here so the details can name it.
  const product = Number.isSafeInteger(productId) ? getProductById(productId) : undefined
  // Declared before the handlers like cents, set once when the options have been read.
  // eslint-disable-next-line prefer-const
  let customerId: string | undefined
  /** What the customer was actually sent, oldest first: recorded once the send succeeded. */
  const notifications: SentNotification[] = []
  // Deadlines of the waits, from the workflow's clock when each wait starts (ISO 8601).
  let pickupDeadline: string | undefined
  let deliveryDeadline: string | undefined
  /**
   * Until when a rating is accepted, for getStatus: the prompt's delay plus the window when the
   * wait for the prompt starts, moved to the window's end once the prompt was sent.
   */
  let ratingDeadline: Date | undefined
  /** When the rating window ends (ms), once it started: past it, no rating is accepted. */
  let ratingWindowEnd: number | undefined
  /** Why a delivered order takes no rating any more: its window closed, or it predates ratings. */
  let ratingClosed: string | undefined
  let rating: OrderRating | undefined

  // Out-of-order signals change nothing: each only moves the state forward from the one before.
  setHandler(pickedUpSignal, () => {
    if (pickUpRefusal() === undefined) pickUp(undefined)
  })
  setHandler(deliveredSignal, () => {
    if (state === 'Picked up') deliver()
  })
  setHandler(getStatusQuery, status)
  // The Updates' validators run before anything changes: a refused call leaves no trace in the
  // history, and the handlers change the state synchronously, so a second racing call is refused.
  setHandler(
    pickUpUpdate,
    (input) => {
      pickUp(input.driverId)
      return status()
    },
    { validator: (input) => refuse(driverRefusal(input) ?? pickUpRefusal()) },
  )
  setHandler(
    deliverUpdate,
    () => {
      deliver()
      return status()
    },
    { validator: (input: DriverInput) => refuse(driverRefusal(input) ?? deliverRefusal(input.driverId)) },
  )
  setHandler(
    cancelOrderUpdate,
    (input) => {
      const reason = input?.reason?.trim()
      cancelRequest = reason ? { reason } : {}
      // A charge still retrying stops now; one that already went through is refunded.
      if (state === 'Charging card') chargeScope.cancel()
      return { accepted: true, message: 'Your order is cancelled. Anything charged will be refunded.' } as const
    },
    { validator: (input) => refuse(reasonRefusal(input) ?? cancelRefusal()) },
  )
  setHandler(
    rateUpdate,
    (input) => {
      const comment = input.comment?.trim()
      rating = { stars: input.stars, ...(comment ? { comment } : {}), at: new Date().toISOString() }
      if (patched(DRIVER_LIST_MEMO_PATCH)) upsertMemo({ rating: rating.stars })
      showDetails()
      return rating
    },
    { validator: (input) => refuse(ratingInputRefusal(input) ?? rateRefusal()) },
  )
  setHandler(waitForPaymentUpdate, async () => {
    // Every ending leaves Charging card first (a decline sets Failed before the order fails).
    await condition(() => state !== 'Charging card')
    return status()
  })

  /** The state now (TypeScript cannot see the handlers change it between awaits). */
  function current(): OrderState {
    return state
  }
  function status(): OrderStatus {
    const waitingForPickup = state === 'Paid' && cancelRequest === undefined
    return {
      productId,
      state,
      ...(deliveredAt ? { deliveredAt } : {}),
      ...(cents !== undefined ? { cents } : {}),
      ...(driverId !== undefined ? { driverId } : {}),
      ...(failure !== undefined ? { failure } : {}),
      ...(customerId !== undefined ? { customerId } : {}),
      ...(notifications.length > 0 ? { notifications: [...notifications] } : {}),
      ...(waitingForPickup && pickupDeadline ? { pickupDeadline } : {}),
      ...(state === 'Picked up' && deliveryDeadline ? { deliveryDeadline } : {}),
      ...(rateRefusal() === undefined && ratingDeadline ? { ratingDeadline: ratingDeadline.toISOString() } : {}),
      ...(rating ? { rating } : {}),
    }
  }
  /** The Web UI's "current details": the order in one line, kept up to date at every change. */
  function showDetails(): void {
    setCurrentDetails(currentDetails(status(), product?.name))
  }
  // The state lives in a search attribute too, so the driver list needs no Query per order.
  function setState(next: OrderState, alsoUpsert: SearchAttributeUpdatePair[] = []): void {
    state = next
    upsertSearchAttributes([{ key: ORDER_STATE, value: state }, ...alsoUpsert])
    showDetails()
  }
  function pickUp(by: string | undefined): void {
    driverId = by
    // One upsert for both: "my deliveries" (DriverId) and the driver list (OrderState) move together.
    setState('Picked up', by !== undefined ? [{ key: DRIVER_ID, value: by }] : [])
  }
  function deliver(): void {
    deliveredAt = new Date()
    setState('Delivered')
  }
  function pickUpRefusal(): string | undefined {
    if (cancelRequest) return 'The customer cancelled this order'
    if (state === 'Paid') return undefined
    if (state === 'Charging card') return 'The order is not paid yet: it cannot be picked up'
    if (state === 'Picked up')
      return driverId === undefined
        ? 'The order was already picked up'
        : `The order was already picked up by ${driverId}`
    if (state === 'Delivered') return 'The order was already delivered'
    return `The order can no longer be picked up (${failure ?? state})`
  }
  function deliverRefusal(by: string): string | undefined {
    if (state === 'Picked up')
      return driverId !== undefined && by !== driverId
        ? `The order was picked up by another driver (${driverId})`
        : undefined
    if (state === 'Paid' || state === 'Charging card') return 'The order was not picked up yet: it cannot be delivered'
    if (state === 'Delivered') return 'The order was already delivered'
    return `The order can no longer be delivered (${failure ?? state})`
  }
  function rateRefusal(): string | undefined {
    if (rating) return 'The order was already rated'
    if (state === 'Delivered') {
      // The clock too: a rating arriving with the window's timer, before the story saw it fire.
      if (ratingClosed === undefined && ratingWindowEnd !== undefined && Date.now() >= ratingWindowEnd)
        return RATING_WINDOW_CLOSED
      return ratingClosed
    }
    if (state === 'Charging card' || state === 'Paid' || state === 'Picked up')
      return 'The order was not delivered yet: it cannot be rated'
    return `The order can no longer be rated (${failure ?? state})`
  }
  function cancelRefusal(): string | undefined {
    if (cancelRequest) return 'The order is already cancelled'
    if (state === 'Charging card' || state === 'Paid') return undefined
    if (state === 'Picked up') return 'The order was already picked up: it can no longer be cancelled'
    if (state === 'Delivered') return 'The order was already delivered: it can no longer be cancelled'
    return `The order has already ended (${failure ?? state})`
  }

  function fail(message: string, type: string): never {
    failure = message
    setState('Failed')
    log.warn('Order failed', { reason: type, message })
    throw ApplicationFailure.create({ message, type, nonRetryable: true })
  }

  if (Number.isSafeInteger(productId)) upsertSearchAttributes([{ key: ORDER_PRODUCT_ID, value: productId }])
  setState('Charging card')
  // Input a user can send must end the order cleanly, never crash the workflow task in a loop.
  if (!product) return fail(`Unknown product: ${JSON.stringify(productId)}`, 'UnknownProduct')
  const settings = readOptions(optionsOfThisVersion(options))
  if (typeof settings === 'string') return fail(settings, 'InvalidOrderOptions')
  // The price is fixed now, once: a menu changed while the order runs changes nothing.
  cents = settings.cents ?? product.cents
  customerId = settings.customerId
  // The API sets CustomerId when it starts the order; an order started with the option alone
  // (the CLI) gets it here. Already there, a second upsert would only add a command.
  if (customerId !== undefined && workflowInfo().typedSearchAttributes.get(CUSTOMER_ID) === undefined)
    upsertSearchAttributes([{ key: CUSTOMER_ID, value: customerId }])
  showDetails()
  const priced: Product = { ...product, cents }
  const paymentRef: PaymentRef | undefined = patched(PAYMENT_ID_PATCH)
    ? { paymentId: workflowInfo().firstExecutionRunId }
    : undefined

  const { chargeCustomer } = proxyActivities<OrderActivities>({
    startToCloseTimeout: '10 seconds',
    // The overall deadline of the payment, retries included, enforced by the server even while
    // no Worker runs. A last attempt may still land after it: the refund below voids it.
    scheduleToCloseTimeout: settings.paymentDeadline,
    retry: RETRY,
    // A cancelled charge is awaited until the service has answered or the retries stopped.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  })

  /** Sends the customer a push notification, and records it once it was sent (retries record nothing). */
  async function notify(message: string): Promise<void> {
    await sendPushNotification.executeWithOptions({ summary: notificationSummary(message) }, [message])
    notifications.push({ message, at: new Date().toISOString() })
  }

  /**
   * After delivery: the rating prompt after `ratingDelay`, then up to `ratingWindow` for the rating.
   * A rating before the prompt skips it; once rated, the order is done.
   */
  async function waitForRating(productName: string, ratingDelay: number, ratingWindow: number): Promise<void> {
    // These could as well be hours or months: the timers are durable.
    const prompt = `✍️ Rate your meal. How was the ${productName.toLowerCase()}?`
    const promptTimer = { summary: `rating prompt in ${shortDuration(ratingDelay)}` }
    if (!patched(RATING_WINDOW_PATCH)) {
      ratingClosed = 'The order was delivered before ratings existed: it cannot be rated'
      await sleep(ratingDelay, promptTimer)
      await notify(prompt)
      return
    }
    const rated = () => rating !== undefined
    ratingDeadline = new Date(Date.now() + ratingDelay + ratingWindow)
    showDetails()
    if (rated() || (await condition(rated, ratingDelay, promptTimer))) return
    await notify(prompt)
    if (rated()) return
    const windowEnd = Date.now() + ratingWindow
    ratingWindowEnd = windowEnd
    ratingDeadline = new Date(windowEnd)
    showDetails()
    if (!(await condition(rated, ratingWindow, { summary: `rating window ${shortDuration(ratingWindow)}` }))) {
      ratingClosed = RATING_WINDOW_CLOSED
      showDetails()
    }
  }

  /**
   * Refunds what this order may have been charged. `ifCharged`: the order does not know whether
   * the charge went through, and nothing charged is a fine answer. A refund that cannot be made
   * ends the order Failed with the reason: the customer is told, the Worker logs and counts it.
   */
  async function refund(ifCharged: boolean): Promise<RefundOutcome | undefined> {
    const request = paymentRef ? { ...paymentRef, ifCharged } : ifCharged ? { ifCharged } : undefined
    const summary = `refund ${formatCents(priced.cents)} for ${priced.name}${ifCharged ? ' if charged' : ''}`
    try {
      return await refundOrder.executeWithOptions({ summary }, request ? [priced, request] : [priced])
    } catch (error) {
      const reason = causeMessage(error)
      metricMeter
        .createCounter(
          'durable_delivery_refund_failures',
          'orders',
          'Orders whose refund failed: each needs an operator to refund by hand',
        )
        .add(1)
      log.error('Refund failed: an operator must refund this order by hand', { reason, cents })
      await notify(
        '⚠️ We could not refund your payment automatically. Our support team has been alerted and will refund you.',
      )
      return fail(`Refund failed: ${reason}`, 'RefundFailed')
    }
  }
  async function refundAndNotify(message: string): Promise<void> {
    setState('Refunding')
    await refund(false)
    await notify(message)
  }
  async function settleCancellation(byOperator: boolean): Promise<void> {
    const reason = cancelRequest?.reason
    failure = byOperator ? 'Cancelled by an operator' : `Cancelled by the customer${reason ? `: ${reason}` : ''}`
    let refunded = false
    if (payment !== 'none') {
      setState('Refunding')
      refunded = (await refund(payment === 'maybe')) !== 'nothing to refund'
    }
    await notify(
      refunded
        ? '❌ Your order was cancelled. Your payment has been refunded.'
        : '❌ Your order was cancelled. Nothing was charged.',
    )
    setState('Cancelled')
    log.info('Order cancelled', { byOperator, refunded })
  }

  try {
    payment = 'maybe'
    try {
      const summary = `charge ${formatCents(priced.cents)} for ${priced.name}`
      await chargeScope.run(() =>
        chargeCustomer.executeWithOptions({ summary }, paymentRef ? [priced, paymentRef] : [priced]),
      )
      payment = 'charged'
    } catch (error) {
      if (isCancellation(error)) throw error
      // A charge cancelled while an attempt was in flight ends with that attempt's own failure
      // (the server retries no cancelled activity), and the attempt may have charged: settle it
      // as the cancellation it is, refunding if charged, never as a failed payment.
      if (cancelRequest) throw new CustomerCancellation()
      if (root.consideredCancelled) throw new CancelledFailure('Cancelled while the charge was in flight')
      // The deadline ends the retries (RetryState TIMEOUT) or the attempt in flight (a TimeoutFailure).
      if (
        error instanceof ActivityFailure &&
        (error.retryState === RetryState.TIMEOUT || error.cause instanceof TimeoutFailure)
      ) {
        // No answer within the deadline: the charge may have gone through, so void or refund it.
        const deadline = `${Math.round(settings.paymentDeadline / 1000)} seconds`
        failure = `Payment not confirmed within ${deadline}`
        await CancellationScope.nonCancellable(async () => {
          setState('Refunding')
          const outcome = await refund(true)
          await notify(
            `⚠️ We could not confirm your payment for ${product.name} in time, so the order was cancelled. ` +
              (outcome === 'nothing to refund' ? 'Nothing was charged.' : 'Your payment has been refunded.'),
          )
        })
        return fail(`Payment not confirmed within ${deadline}: the payment service did not answer`, 'PaymentTimedOut')
      }
      payment = 'none'
      const message = `Failed to charge customer for ${product.name}. Error: ${causeMessage(error)}`
      await CancellationScope.nonCancellable(() => notify(message))
      return fail(message, 'PaymentFailed')
    }
    if (cancelRequest) throw new CustomerCancellation()
    pickupDeadline = new Date(Date.now() + settings.pickup).toISOString()
    setState('Paid')
    if (patched(DRIVER_LIST_MEMO_PATCH)) upsertMemo({ pickupDeadline })

    // The state, not the condition's answer, decides: a pickup accepted in the very task in
    // which the window closes is honoured, never refunded behind the driver's back.
    await condition(() => state !== 'Paid' || cancelRequest !== undefined, settings.pickup, {
      summary: `pickup window ${shortDuration(settings.pickup)}`,
    })
    if (cancelRequest) throw new CustomerCancellation()
    if (current() !== 'Picked up') {
      failure = 'Not picked up in time'
      await CancellationScope.nonCancellable(() =>
        refundAndNotify('⚠️ No drivers were available to pick up your order. Your payment has been refunded.'),
      )
      return fail('Not picked up in time', 'NotPickedUpInTime')
    }
    await notify('🚗 Order picked up')

    deliveryDeadline = new Date(Date.now() + settings.delivery).toISOString()
    if (patched(DRIVER_LIST_MEMO_PATCH)) upsertMemo({ deliveryDeadline })
    showDetails()
    await condition(() => state !== 'Picked up', settings.delivery, {
      summary: `delivery window ${shortDuration(settings.delivery)}`,
    })
    if (current() !== 'Delivered') {
      failure = 'Not delivered in time'
      await CancellationScope.nonCancellable(() =>
        refundAndNotify('⚠️ Your driver was unable to deliver your order. Your payment has been refunded.'),
      )
      return fail('Not delivered in time', 'NotDeliveredInTime')
    }
    await notify('✅ Order delivered!')
    await waitForRating(product.name, settings.rating, settings.ratingWindow)
  } catch (error) {
    // An operator's cancel (Web UI, CLI) cancels the root scope; a customer's comes as an Update.
    const byOperator = root.consideredCancelled
    const cancelled =
      error instanceof CustomerCancellation || (isCancellation(error) && (byOperator || cancelRequest !== undefined))
    if (!cancelled) throw error
    // A delivered meal stays paid for: an operator's cancel then only skips the rating prompt.
    if (current() === 'Delivered') {
      ratingClosed = 'The order was closed by an operator: it can no longer be rated'
      throw error
    }
    await CancellationScope.nonCancellable(() => settleCancellation(byOperator))
    // Rethrown, Temporal closes the order Canceled, as the operator asked; a customer's
    // cancellation is the order doing what it was asked: it completes.
    if (byOperator) throw error
  }
}

const RATING_WINDOW_CLOSED = 'The rating window has closed: the order can no longer be rated'

/**
 * The options as this run's code version reads them: replayed, an order started before the
 * customerId and ratingWindow options keeps ignoring them (see NEW_OPTIONS_PATCH).
 */
function optionsOfThisVersion(options: unknown): unknown {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return options
  const { customerId, ratingWindow, ...older } = options as OrderOptions
  if (customerId === undefined && ratingWindow === undefined) return options
  return patched(NEW_OPTIONS_PATCH) ? options : older
}

/** The activity's own message for a failed call (ActivityFailure wraps the real cause). */
function causeMessage(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message
  return errorMessage(error)
}
