import {
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow'
import type { Duration } from '@temporalio/common'
import { msToNumber } from '@temporalio/common/lib/time'
import { errorMessage, getProductById, type OrderState, type Product } from '@durable-delivery/common'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import type { OrderActivities } from '@durable-delivery/activities'
import { deliveredSignal, getStatusQuery, pickedUpSignal } from './definitions'
import { DEFAULT_WINDOW, type OrderOptions } from './order-options'

const { chargeCustomer, refundOrder, sendPushNotification } = proxyActivities<OrderActivities>({
  // Each call to the simulated services is quick; a stuck call is retried rather than awaited.
  startToCloseTimeout: '10 seconds',
  // Transient failures retry without limit (the seed's promise: the order always completes);
  // business refusals are non-retryable ApplicationFailures thrown by the activities.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds' },
})

/**
 * One customer's order, from charging the card to asking for a rating (docs/architecture.md, the state machine).
 * The first argument is the contract's `productId`; `options` may shorten the waits.
 */
export async function order(productId: number, options: OrderOptions = {}): Promise<void> {
  let state: OrderState = 'Charging card'
  let deliveredAt: Date | undefined

  // Out-of-order signals change nothing: each only moves the state forward from the one before.
  setHandler(pickedUpSignal, () => {
    if (state === 'Paid') setState('Picked up')
  })
  setHandler(deliveredSignal, () => {
    if (state === 'Picked up') {
      deliveredAt = new Date()
      setState('Delivered')
    }
  })
  setHandler(getStatusQuery, () => ({ productId, state, deliveredAt }))

  // The state lives in a search attribute too, so the driver list needs no Query per order.
  function setState(next: OrderState): void {
    state = next
    upsertSearchAttributes([{ key: ORDER_STATE, value: state }])
  }
  function fail(message: string, type: string): never {
    setState('Failed')
    log.warn('Order failed', { reason: type, message })
    throw ApplicationFailure.create({ message, type, nonRetryable: true })
  }

  const product = Number.isSafeInteger(productId) ? getProductById(productId) : undefined
  if (Number.isSafeInteger(productId)) upsertSearchAttributes([{ key: ORDER_PRODUCT_ID, value: productId }])
  setState('Charging card')
  // Input a user can send must end the order cleanly, never crash the workflow task in a loop.
  if (!product) return fail(`Unknown product: ${JSON.stringify(productId)}`, 'UnknownProduct')
  const windows = readWindows(options)
  if (typeof windows === 'string') return fail(windows, 'InvalidOrderOptions')

  try {
    await chargeCustomer(product)
  } catch (error) {
    const message = `Failed to charge customer for ${product.name}. Error: ${causeMessage(error)}`
    await sendPushNotification(message)
    return fail(message, 'PaymentFailed')
  }
  setState('Paid')

  if (!(await condition(() => state === 'Picked up', windows.pickup))) {
    await refundAndNotify(product, '⚠️ No drivers were available to pick up your order. Your payment has been refunded.')
    return fail('Not picked up in time', 'NotPickedUpInTime')
  }
  await sendPushNotification('🚗 Order picked up')

  if (!(await condition(() => state === 'Delivered', windows.delivery))) {
    await refundAndNotify(product, '⚠️ Your driver was unable to deliver your order. Your payment has been refunded.')
    return fail('Not delivered in time', 'NotDeliveredInTime')
  }
  await sendPushNotification('✅ Order delivered!')

  // This could as well be hours or months: the timer is durable.
  await sleep(windows.rating)
  await sendPushNotification(`✍️ Rate your meal. How was the ${product.name.toLowerCase()}?`)

  async function refundAndNotify(product: Product, message: string): Promise<void> {
    setState('Refunding')
    await refundOrder(product)
    await sendPushNotification(message)
  }
}

interface Windows {
  pickup: number
  delivery: number
  rating: number
}

/** The waits in milliseconds, or what is wrong with the options. */
function readWindows(options: unknown): Windows | string {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return `Invalid order options: expected an object, got ${JSON.stringify(options)}`
  }
  const { pickupWindow, deliveryWindow, ratingDelay } = options as OrderOptions
  const windows: Partial<Windows> = {}
  const fields = [
    ['pickup', 'pickupWindow', pickupWindow],
    ['delivery', 'deliveryWindow', deliveryWindow],
    ['rating', 'ratingDelay', ratingDelay],
  ] as const
  for (const [key, name, value] of fields) {
    const ms = durationToMs(value ?? DEFAULT_WINDOW)
    if (ms === undefined) return `Invalid order options: ${name} must be a positive duration, got ${JSON.stringify(value)}`
    windows[key] = ms
  }
  return windows as Windows
}

function durationToMs(value: Duration): number | undefined {
  try {
    const ms = msToNumber(value)
    return Number.isFinite(ms) && ms > 0 ? ms : undefined
  } catch {
    return undefined
  }
}

/** The activity's own message for a failed charge (ActivityFailure wraps the real cause). */
function causeMessage(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message
  return errorMessage(error)
}
