import {
  ApplicationFailure,
  condition,
  log,
  setCurrentDetails,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow'
import type { SearchAttributeUpdatePair } from '@temporalio/common'
import {
  getProductById,
  type OrderRating,
  type OrderState,
  type OrderStatus,
  type Product,
  type SentNotification,
} from '@durable-delivery/common'
import { DRIVER_ID, ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import type { CancelInput, RateInput } from './definitions'
import type { CheckedOrderOptions, OrderWaitsMs } from './read-options'
import { currentDetails } from './web-ui'

/** What the payment service may hold for this order: decides what an ending must refund. */
export type PaymentHeld = 'none' | 'maybe' | 'charged'

const RATING_WINDOW_CLOSED = 'The rating window has closed: the order can no longer be rated'

/**
 * One order's state: what getStatus answers, what the Web UI and the driver list show, and what
 * each Update may do now (the refusals). Its methods change the state synchronously, so a
 * handler that checked a refusal acts on the state it checked. The story (order.ts) drives it.
 */
export class OrderModel {
  state: OrderState = 'Charging card'
  readonly product: Product | undefined
  /** The product at the price fixed when the options were read: what is charged and refunded. */
  priced?: Product
  /** Set once the options were read (before any handler can act on them). */
  waits?: OrderWaitsMs
  /** The price, fixed once when the options are read. */
  cents?: number
  customerId?: string
  payment: PaymentHeld = 'none'
  deliveredAt?: Date
  driverId?: string
  /** Why the order failed or was cancelled, in the workflow's words. */
  failure?: string
  /** Set once the customer's cancelOrder was accepted. */
  cancelRequest?: CancelInput
  /** What the customer was actually sent, oldest first: recorded once the send succeeded. */
  readonly notifications: SentNotification[] = []
  // Deadlines of the waits, from the workflow's clock when each wait starts (ISO 8601).
  pickupDeadline?: string
  deliveryDeadline?: string
  /**
   * Until when a rating is accepted: from delivery, the prompt's delay plus the window; moved to
   * the window's end once the prompt was sent.
   */
  ratingDeadline?: Date
  /** When the rating window ends (ms), once it started: past it, no rating is accepted. */
  ratingWindowEnd?: number
  /** Why a delivered order takes no rating (any more). */
  ratingClosed?: string
  rating?: OrderRating

  constructor(readonly productId: number) {
    this.product = Number.isSafeInteger(productId) ? getProductById(productId) : undefined
    if (Number.isSafeInteger(productId)) upsertSearchAttributes([{ key: ORDER_PRODUCT_ID, value: productId }])
    this.setState('Charging card')
  }

  /** Fixes the price, the waits and the customer, once, from the checked options. */
  accept(options: CheckedOrderOptions, product: Product): void {
    this.waits = options.waits
    // A menu changed while the order runs changes nothing.
    this.cents = options.cents ?? product.cents
    this.priced = { ...product, cents: this.cents }
    this.customerId = options.customerId
  }

  /** The state lives in a search attribute too, so the driver list needs no Query per order. */
  setState(next: OrderState, alsoUpsert: SearchAttributeUpdatePair[] = []): void {
    this.state = next
    upsertSearchAttributes([{ key: ORDER_STATE, value: next }, ...alsoUpsert])
    this.showDetails()
  }

  /** Paid: the pickup window starts now (its deadline goes to the memo for the driver list). */
  paid(): void {
    this.pickupDeadline = new Date(Date.now() + this.waits!.pickupWindow).toISOString()
    this.setState('Paid')
    upsertMemo({ pickupDeadline: this.pickupDeadline })
  }

  pickUp(by: string | undefined): void {
    this.driverId = by
    // One upsert for both: "my deliveries" (DriverId) and the driver list (OrderState) move together.
    this.setState('Picked up', by !== undefined ? [{ key: DRIVER_ID, value: by }] : [])
  }

  /** The delivery window starts once the customer was told of the pickup. */
  awaitingDelivery(): void {
    this.deliveryDeadline = new Date(Date.now() + this.waits!.deliveryWindow).toISOString()
    upsertMemo({ deliveryDeadline: this.deliveryDeadline })
    this.showDetails()
  }

  /**
   * Delivered, and open for a rating at once (in this very workflow task, before any push):
   * what the customer can do never waits on a notification. An order nobody owns takes none.
   */
  deliver(): void {
    this.deliveredAt = new Date()
    const { ratingDelay, ratingWindow } = this.waits!
    if (this.customerId === undefined) this.ratingClosed = 'The order has no customer: nobody can rate it'
    else this.ratingDeadline = new Date(Date.now() + ratingDelay + ratingWindow)
    this.setState('Delivered')
  }

  rate(input: RateInput): OrderRating {
    const comment = input.comment?.trim()
    this.rating = { stars: input.stars, ...(comment ? { comment } : {}), at: new Date().toISOString() }
    upsertMemo({ rating: this.rating.stars })
    this.showDetails()
    return this.rating
  }

  /** The rating prompt went out: the window runs from now. */
  ratingWindowOpened(): void {
    this.ratingWindowEnd = Date.now() + this.waits!.ratingWindow
    this.ratingDeadline = new Date(this.ratingWindowEnd)
    this.showDetails()
  }

  closeRating(reason = RATING_WINDOW_CLOSED): void {
    this.ratingClosed = reason
    this.showDetails()
  }

  /** Ends the order Failed with the reason, as a non-retryable failure whose type names it. */
  fail(message: string, type: string): never {
    this.failure = message
    this.setState('Failed')
    log.warn('Order failed', { reason: type, message })
    throw ApplicationFailure.create({ message, type, nonRetryable: true })
  }

  /** Waits until the state leaves `state` or the customer cancels, at most `ms`; answers the state then. */
  async waitWhile(state: OrderState, ms: number, summary: string): Promise<OrderState> {
    await condition(() => this.state !== state || this.cancelRequest !== undefined, ms, { summary })
    return this.state
  }

  status(): OrderStatus {
    const waitingForPickup = this.state === 'Paid' && this.cancelRequest === undefined
    const { productId, state, deliveredAt, cents, driverId, failure, customerId, notifications, rating } = this
    return {
      productId,
      state,
      ...(deliveredAt ? { deliveredAt } : {}),
      ...(cents !== undefined ? { cents } : {}),
      ...(driverId !== undefined ? { driverId } : {}),
      ...(failure !== undefined ? { failure } : {}),
      ...(customerId !== undefined ? { customerId } : {}),
      ...(notifications.length > 0 ? { notifications: [...notifications] } : {}),
      ...(waitingForPickup && this.pickupDeadline ? { pickupDeadline: this.pickupDeadline } : {}),
      ...(state === 'Picked up' && this.deliveryDeadline ? { deliveryDeadline: this.deliveryDeadline } : {}),
      ...(this.rateRefusal() === undefined && this.ratingDeadline
        ? { ratingDeadline: this.ratingDeadline.toISOString() }
        : {}),
      ...(rating ? { rating } : {}),
    }
  }

  /** The Web UI's "current details": the order in one line, kept up to date at every change. */
  showDetails(): void {
    setCurrentDetails(currentDetails(this.status(), this.product?.name))
  }

  // The refusals: the sentence a caller is shown, or undefined when the Update may go ahead.

  pickUpRefusal(): string | undefined {
    const { state, driverId } = this
    if (this.cancelRequest) return 'The customer cancelled this order'
    if (state === 'Paid') return undefined
    if (state === 'Charging card') return 'The order is not paid yet: it cannot be picked up'
    if (state === 'Picked up')
      return driverId === undefined
        ? 'The order was already picked up'
        : `The order was already picked up by ${driverId}`
    if (state === 'Delivered') return 'The order was already delivered'
    return `The order can no longer be picked up (${this.failure ?? state})`
  }

  deliverRefusal(by: string): string | undefined {
    const { state, driverId } = this
    if (state === 'Picked up')
      return driverId !== undefined && by !== driverId
        ? `The order was picked up by another driver (${driverId})`
        : undefined
    if (state === 'Paid' || state === 'Charging card') return 'The order was not picked up yet: it cannot be delivered'
    if (state === 'Delivered') return 'The order was already delivered'
    return `The order can no longer be delivered (${this.failure ?? state})`
  }

  rateRefusal(): string | undefined {
    const { state } = this
    if (this.rating) return 'The order was already rated'
    if (state === 'Delivered') {
      // The clock too: a rating arriving with the window's timer, before the story saw it fire.
      if (this.ratingClosed === undefined && this.ratingWindowEnd !== undefined && Date.now() >= this.ratingWindowEnd)
        return RATING_WINDOW_CLOSED
      return this.ratingClosed
    }
    if (state === 'Charging card' || state === 'Paid' || state === 'Picked up')
      return 'The order was not delivered yet: it cannot be rated'
    return `The order can no longer be rated (${this.failure ?? state})`
  }

  cancelRefusal(): string | undefined {
    const { state } = this
    if (this.cancelRequest) return 'The order is already cancelled'
    if (state === 'Charging card' || state === 'Paid') return undefined
    if (state === 'Picked up') return 'The order was already picked up: it can no longer be cancelled'
    if (state === 'Delivered') return 'The order was already delivered: it can no longer be cancelled'
    return `The order has already ended (${this.failure ?? state})`
  }
}
