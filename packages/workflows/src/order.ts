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
  setHandler,
  sleep,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import { CancelledFailure, RetryState, type Duration, type RetryPolicy } from '@temporalio/common'
import { msToNumber } from '@temporalio/common/lib/time'
import {
  DEFAULT_PAYMENT_DEADLINE,
  DEFAULT_WINDOW,
  errorMessage,
  getProductById,
  type OrderOptions,
  type OrderState,
  type OrderStatus,
  type Product,
} from '@durable-delivery/common'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import type { OrderActivities, PaymentRef, RefundOutcome } from '@durable-delivery/activities'
import {
  cancelOrderUpdate,
  deliveredSignal,
  deliverUpdate,
  getStatusQuery,
  pickedUpSignal,
  pickUpUpdate,
  type CancelInput,
  type DriverInput,
} from './definitions'

/**
 * Orders started before this change charged and refunded under keys derived from the workflow id
 * alone, so a reused order id was never charged again. New orders key their payment on the run
 * (`firstExecutionRunId`, fixed when the order starts and kept by continue-as-new and reset).
 * Running orders without the marker keep their old keys: their charge is already on the ledger
 * under them.
 */
const PAYMENT_ID_PATCH = 'payment-id-per-run'

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

  /** The state now (TypeScript cannot see the handlers change it between awaits). */
  function current(): OrderState {
    return state
  }
  function status(): OrderStatus {
    return {
      productId,
      state,
      ...(deliveredAt ? { deliveredAt } : {}),
      ...(cents !== undefined ? { cents } : {}),
      ...(driverId !== undefined ? { driverId } : {}),
      ...(failure !== undefined ? { failure } : {}),
    }
  }
  // The state lives in a search attribute too, so the driver list needs no Query per order.
  function setState(next: OrderState): void {
    state = next
    upsertSearchAttributes([{ key: ORDER_STATE, value: state }])
  }
  function pickUp(by: string | undefined): void {
    driverId = by
    setState('Picked up')
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

  const product = Number.isSafeInteger(productId) ? getProductById(productId) : undefined
  if (Number.isSafeInteger(productId)) upsertSearchAttributes([{ key: ORDER_PRODUCT_ID, value: productId }])
  setState('Charging card')
  // Input a user can send must end the order cleanly, never crash the workflow task in a loop.
  if (!product) return fail(`Unknown product: ${JSON.stringify(productId)}`, 'UnknownProduct')
  const settings = readOptions(options)
  if (typeof settings === 'string') return fail(settings, 'InvalidOrderOptions')
  // The price is fixed now, once: a menu changed while the order runs changes nothing.
  cents = settings.cents ?? product.cents
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

  /**
   * Refunds what this order may have been charged. `ifCharged`: the order does not know whether
   * the charge went through, and nothing charged is a fine answer. A refund that cannot be made
   * ends the order Failed with the reason: the customer is told, the Worker logs and counts it.
   */
  async function refund(ifCharged: boolean): Promise<RefundOutcome | undefined> {
    const request = paymentRef ? { ...paymentRef, ifCharged } : ifCharged ? { ifCharged } : undefined
    try {
      return await (request ? refundOrder(priced, request) : refundOrder(priced))
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
      await sendPushNotification(
        '⚠️ We could not refund your payment automatically. Our support team has been alerted and will refund you.',
      )
      return fail(`Refund failed: ${reason}`, 'RefundFailed')
    }
  }
  async function refundAndNotify(message: string): Promise<void> {
    setState('Refunding')
    await refund(false)
    await sendPushNotification(message)
  }
  async function settleCancellation(byOperator: boolean): Promise<void> {
    const reason = cancelRequest?.reason
    failure = byOperator ? 'Cancelled by an operator' : `Cancelled by the customer${reason ? `: ${reason}` : ''}`
    let refunded = false
    if (payment !== 'none') {
      setState('Refunding')
      refunded = (await refund(payment === 'maybe')) !== 'nothing to refund'
    }
    await sendPushNotification(
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
      await chargeScope.run(() => (paymentRef ? chargeCustomer(priced, paymentRef) : chargeCustomer(priced)))
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
          await sendPushNotification(
            `⚠️ We could not confirm your payment for ${product.name} in time, so the order was cancelled. ` +
              (outcome === 'nothing to refund' ? 'Nothing was charged.' : 'Your payment has been refunded.'),
          )
        })
        return fail(`Payment not confirmed within ${deadline}: the payment service did not answer`, 'PaymentTimedOut')
      }
      payment = 'none'
      const message = `Failed to charge customer for ${product.name}. Error: ${causeMessage(error)}`
      await CancellationScope.nonCancellable(() => sendPushNotification(message))
      return fail(message, 'PaymentFailed')
    }
    if (cancelRequest) throw new CustomerCancellation()
    setState('Paid')

    // The state, not the condition's answer, decides: a pickup accepted in the very task in
    // which the window closes is honoured, never refunded behind the driver's back.
    await condition(() => state !== 'Paid' || cancelRequest !== undefined, settings.pickup)
    if (cancelRequest) throw new CustomerCancellation()
    if (current() !== 'Picked up') {
      failure = 'Not picked up in time'
      await CancellationScope.nonCancellable(() =>
        refundAndNotify('⚠️ No drivers were available to pick up your order. Your payment has been refunded.'),
      )
      return fail('Not picked up in time', 'NotPickedUpInTime')
    }
    await sendPushNotification('🚗 Order picked up')

    await condition(() => state !== 'Picked up', settings.delivery)
    if (current() !== 'Delivered') {
      failure = 'Not delivered in time'
      await CancellationScope.nonCancellable(() =>
        refundAndNotify('⚠️ Your driver was unable to deliver your order. Your payment has been refunded.'),
      )
      return fail('Not delivered in time', 'NotDeliveredInTime')
    }
    await sendPushNotification('✅ Order delivered!')

    // This could as well be hours or months: the timer is durable.
    await sleep(settings.rating)
    await sendPushNotification(`✍️ Rate your meal. How was the ${product.name.toLowerCase()}?`)
  } catch (error) {
    // An operator's cancel (Web UI, CLI) cancels the root scope; a customer's comes as an Update.
    const byOperator = root.consideredCancelled
    const cancelled =
      error instanceof CustomerCancellation || (isCancellation(error) && (byOperator || cancelRequest !== undefined))
    if (!cancelled) throw error
    // A delivered meal stays paid for: an operator's cancel then only skips the rating prompt.
    if (current() === 'Delivered') throw error
    await CancellationScope.nonCancellable(() => settleCancellation(byOperator))
    // Rethrown, Temporal closes the order Canceled, as the operator asked; a customer's
    // cancellation is the order doing what it was asked: it completes.
    if (byOperator) throw error
  }
}

interface Settings {
  pickup: number
  delivery: number
  rating: number
  paymentDeadline: number
  cents?: number
}

/** Refuses an Update with the sentence the caller is shown. */
function refuse(refusal: string | undefined): void {
  if (refusal !== undefined) throw ApplicationFailure.create({ message: refusal, type: 'Refused', nonRetryable: true })
}

function driverRefusal(input: unknown): string | undefined {
  const driverId = (input as Partial<DriverInput> | undefined)?.driverId
  if (typeof driverId !== 'string' || driverId.trim() === '' || driverId.length > 100) {
    return 'driverId must be a non-empty string of at most 100 characters'
  }
  return undefined
}

function reasonRefusal(input: unknown): string | undefined {
  if (input === undefined || input === null) return undefined
  if (typeof input !== 'object') return 'cancelOrder takes an object like { reason: "..." }'
  const { reason } = input as CancelInput
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500))
    return 'reason must be a string of at most 500 characters'
  return undefined
}

/** The waits and the price in numbers, or what is wrong with the options. */
function readOptions(options: unknown): Settings | string {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return `Invalid order options: expected an object, got ${JSON.stringify(options)}`
  }
  const { pickupWindow, deliveryWindow, ratingDelay, paymentDeadline, cents } = options as OrderOptions
  const settings: Partial<Settings> = {}
  const fields = [
    ['pickup', 'pickupWindow', pickupWindow, DEFAULT_WINDOW],
    ['delivery', 'deliveryWindow', deliveryWindow, DEFAULT_WINDOW],
    ['rating', 'ratingDelay', ratingDelay, DEFAULT_WINDOW],
    ['paymentDeadline', 'paymentDeadline', paymentDeadline, DEFAULT_PAYMENT_DEADLINE],
  ] as const
  for (const [key, name, value, fallback] of fields) {
    const ms = durationToMs(value ?? fallback)
    if (ms === undefined)
      return `Invalid order options: ${name} must be a positive duration, got ${JSON.stringify(value)}`
    settings[key] = ms
  }
  if (cents !== undefined) {
    if (!Number.isSafeInteger(cents) || cents <= 0)
      return `Invalid order options: cents must be a positive whole number, got ${JSON.stringify(cents)}`
    settings.cents = cents
  }
  return settings as Settings
}

function durationToMs(value: Duration): number | undefined {
  try {
    const ms = msToNumber(value)
    return Number.isFinite(ms) && ms > 0 ? ms : undefined
  } catch {
    return undefined
  }
}

/** The activity's own message for a failed call (ActivityFailure wraps the real cause). */
function causeMessage(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message
  return errorMessage(error)
}
