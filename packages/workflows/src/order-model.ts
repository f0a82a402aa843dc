import {
  ApplicationFailure,
  condition,
  log,
  setCurrentDetails,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import type { SearchAttributeUpdatePair } from '@temporalio/common'
import {
  describeLines,
  getProductById,
  subtotalCents,
  withoutDishes,
  type OrderLine,
  type OrderRating,
  type OrderShortage,
  type OrderState,
  type OrderStatus,
  type OrderTip,
  type Product,
  type RestaurantStep,
  type SentNotification,
} from '@durable-delivery/common'
import {
  DRIVER_ID,
  ORDER_PRODUCT_ID,
  ORDER_STATE,
  ORDER_UPDATED_AT,
  orderStartAttributes,
} from '@durable-delivery/common/search-attributes'
import { CANCEL_WHILE_PREPARING } from './customer-messages'
import type { AcceptInput, CancelInput, DeclineInput, RateInput } from './definitions'
import type { CheckedOrderOptions, OrderWaitsMs } from './read-options'
import { currentDetails } from './web-ui'

/** A cart's order as it stands: its lines and tip (both fall when a shortage goes ahead). */
export interface Cart {
  lines: OrderLine[]
  tip?: OrderTip
}

/** What the restaurant called back with, once: the story acts on it. */
export type RestaurantAnswer = { accepted: AcceptInput } | { declined: DeclineInput }

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
  // A cart's order (placed with lines) only; the seed's order leaves these unset.
  cart?: Cart
  restaurant?: RestaurantStep
  restaurantAnswer?: RestaurantAnswer
  shortage?: OrderShortage
  /** The customer's answer to the shortage: go ahead (true); a cancel sets `cancelRequest` instead. */
  shortageGoAhead?: boolean
  /** Given back so far (cents), partial refunds included. */
  refundedCents = 0
  /** The extra tip the rating asked for, then what of it was charged. */
  extraTipAsked?: number
  extraTipCents?: number
  /** Until the first task's one upsert went out (patch START_ATTRIBUTES_ONCE): see `upsertStarted`. */
  private startPending: boolean

  /**
   * `startAttributesOnce`: the patch START_ATTRIBUTES_ONCE was taken (order.ts). Without it (an
   * order begun before the patch) the dish and the state go out in two upserts, as v1 recorded.
   */
  constructor(
    readonly productId: number,
    startAttributesOnce = false,
  ) {
    this.product = Number.isSafeInteger(productId) ? getProductById(productId) : undefined
    this.startPending = startAttributesOnce
    if (startAttributesOnce) this.showDetails()
    else {
      if (Number.isSafeInteger(productId)) upsertSearchAttributes([{ key: ORDER_PRODUCT_ID, value: productId }])
      this.setState('Charging card')
    }
  }

  /**
   * The first task's search attributes (dish, state, customer) in one upsert, less those the start
   * already gave with the same value: each upsert is a billed action, the start's are free. An
   * order the API started upserts none; one the CLI started, one. Sent once, by the first of this
   * and `setState` (an order that fails at once sends its Failed state with them).
   */
  upsertStarted(alsoUpsert: SearchAttributeUpdatePair[] = []): void {
    this.startPending = false
    const given = workflowInfo().typedSearchAttributes
    const unset = [...orderStartAttributes(this.productId, this.state, this.customerId), ...alsoUpsert].filter(
      (pair) => given.get(pair.key) !== pair.value,
    )
    if (unset.length > 0) upsertSearchAttributes(unset)
  }

  /** Fixes the price, the waits and the customer, once, from the checked options. */
  accept(options: CheckedOrderOptions, product: Product): void {
    this.waits = options.waits
    // A menu changed while the order runs changes nothing.
    this.cents = options.cents ?? product.cents
    this.customerId = options.customerId
    if (options.cart) {
      this.cart = options.cart
      this.restaurant = {}
    }
    // A cart's charge and refunds read as its dishes ("2 × Burrata, 1 × Potato").
    this.priced = { ...product, cents: this.cents, ...(this.cart ? { name: describeLines(this.cart.lines) } : {}) }
  }

  /** What a refund of everything would give back now: the charge less any partial refund. */
  refundableCents(): number {
    return (this.cents ?? 0) - this.refundedCents
  }

  /** A cart's order, Paid: the restaurant has until the deadline to accept it. */
  awaitRestaurant(): void {
    this.restaurant!.acceptDeadline = new Date(Date.now() + this.waits!.acceptDeadline).toISOString()
    this.setState('Paid')
  }

  restaurantAccepted(input: AcceptInput): void {
    this.restaurantAnswer = { accepted: input }
    this.restaurant!.acceptedAt = new Date().toISOString()
    delete this.restaurant!.acceptDeadline
    this.showDetails()
  }

  restaurantDeclined(input: DeclineInput): void {
    const reason = input.reason?.trim()
    this.restaurantAnswer = { declined: reason ? { reason } : {} }
    this.restaurant!.declined = reason || 'The restaurant gave no reason'
    delete this.restaurant!.acceptDeadline
    this.showDetails()
  }

  /** The restaurant is out of these dishes: the customer is asked until the shortage deadline. */
  askShortage(productIds: number[]): void {
    const { refundCents } = withoutDishes(this.cart!.lines, this.cart!.tip, productIds)
    const deadline = new Date(Date.now() + this.waits!.shortageDeadline).toISOString()
    this.shortage = { productIds, refundCents, deadline }
    delete this.restaurant!.acceptDeadline
    this.showDetails()
  }

  /** The shortage is settled: going ahead, the lines and tip fall and the refund is counted. */
  settleShortage(outcome: NonNullable<OrderShortage['outcome']>): void {
    const shortage = this.shortage!
    delete shortage.deadline
    shortage.outcome = outcome
    if (outcome !== 'cancelled') {
      const kept = withoutDishes(this.cart!.lines, this.cart!.tip, shortage.productIds)
      this.cart = { lines: kept.lines, ...(kept.tip ? { tip: kept.tip } : {}) }
      this.refundedCents += kept.refundCents
    }
    this.showDetails()
  }

  /** Accepted and cooking: ready in about `readyInMinutes`, as the restaurant said. */
  preparing(readyInMinutes: number): void {
    delete this.restaurant!.acceptDeadline
    this.restaurant!.readyBy = new Date(Date.now() + readyInMinutes * 60_000).toISOString()
    this.setState('Preparing')
  }

  /**
   * Ready: a driver may pick it up from now, and the pickup window starts now. The memo carries
   * the deadline for the driver list, and what the delivered order costs for the ledger check.
   */
  ready(): void {
    this.restaurant!.readyAt = new Date().toISOString()
    this.pickupDeadline = new Date(Date.now() + this.waits!.pickupWindow).toISOString()
    this.setState('Ready')
    upsertMemo({ pickupDeadline: this.pickupDeadline, keptCents: this.refundableCents() })
  }

  /** The extra tip went through: getStatus and the ledger check (the memo) know it. */
  extraTipCharged(cents: number): void {
    this.extraTipCents = cents
    upsertMemo({ extraTipCents: cents })
    this.showDetails()
  }

  /**
   * The state lives in a search attribute too, so the driver list needs no Query per order; the
   * time of the change joins it in the same command (the live cards' sweep lists what changed).
   * Replay compares an upsert's command type, not its attributes, so old histories still replay.
   */
  setState(next: OrderState, alsoUpsert: SearchAttributeUpdatePair[] = []): void {
    this.state = next
    if (this.startPending) this.upsertStarted(alsoUpsert)
    else
      upsertSearchAttributes([
        { key: ORDER_STATE, value: next },
        { key: ORDER_UPDATED_AT, value: new Date() },
        ...alsoUpsert,
      ])
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
    else {
      // Enforced from now, not from the prompt: a prompt held up by the notification service
      // must not leave the window open past the deadline the customer is shown.
      this.ratingWindowEnd = Date.now() + ratingDelay + ratingWindow
      this.ratingDeadline = new Date(this.ratingWindowEnd)
    }
    this.setState('Delivered')
  }

  rate(input: RateInput): OrderRating {
    const comment = input.comment?.trim()
    this.rating = { stars: input.stars, ...(comment ? { comment } : {}), at: new Date().toISOString() }
    if (input.extraTipCents !== undefined) this.extraTipAsked = input.extraTipCents
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

  /** The order will not go ahead: Failed from now on, so it shows and refuses at once. */
  markFailed(message: string): void {
    this.failure = message
    this.setState('Failed')
  }

  /** Ends the order Failed with the reason (marked so unless it already is), as a non-retryable failure whose type names it. */
  fail(message: string, type: string): never {
    if (this.state !== 'Failed') this.markFailed(message)
    log.warn('Order failed', { reason: type, message })
    throw ApplicationFailure.create({ message, type, nonRetryable: true })
  }

  /** Waits until the state leaves `state` or the customer cancels, at most `ms`; answers the state then. */
  async waitWhile(state: OrderState, ms: number, summary: string): Promise<OrderState> {
    await condition(() => this.state !== state || this.cancelRequest !== undefined, ms, { summary })
    return this.state
  }

  status(): OrderStatus {
    const waitingForPickup = this.state === (this.cart ? 'Ready' : 'Paid') && this.cancelRequest === undefined
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
      ...this.cartStatus(),
    }
  }

  /** A shortage as getStatus shows it: its deadline only while the customer can still answer. */
  private shortageStatus(shortage: OrderShortage): OrderShortage {
    const shown = { ...shortage, productIds: [...shortage.productIds] }
    if (this.answerShortageRefusal() !== undefined) delete shown.deadline
    return shown
  }

  /** What getStatus adds for a cart's order; nothing for the seed's. */
  private cartStatus(): Partial<OrderStatus> {
    const { cart, restaurant, shortage, extraTipCents } = this
    if (!cart || !restaurant) return {}
    const step = { ...restaurant }
    // A deadline is shown only while it runs.
    if (this.state !== 'Paid' || this.cancelRequest) delete step.acceptDeadline
    return {
      lines: cart.lines.map((line) => ({ ...line })),
      subtotalCents: subtotalCents(cart.lines),
      ...(cart.tip ? { tip: { ...cart.tip } } : {}),
      restaurant: step,
      ...(shortage ? { shortage: this.shortageStatus(shortage) } : {}),
      refundedCents: this.refundedCents,
      ...(extraTipCents !== undefined ? { extraTipCents } : {}),
    }
  }

  /** The Web UI's "current details": the order in one line, kept up to date at every change. */
  showDetails(): void {
    setCurrentDetails(currentDetails(this.status(), this.cart ? describeLines(this.cart.lines) : this.product?.name))
  }

  // The refusals: the sentence a caller is shown, or undefined when the Update may go ahead.

  pickUpRefusal(): string | undefined {
    const { state, driverId } = this
    if (this.cancelRequest) return 'The customer cancelled this order'
    if (state === (this.cart ? 'Ready' : 'Paid')) return undefined
    if (state === 'Charging card') return 'The order is not paid yet: it cannot be picked up'
    if (state === 'Paid') return 'The restaurant has not accepted the order yet: it cannot be picked up'
    if (state === 'Preparing') return 'The restaurant is still preparing the order: it cannot be picked up yet'
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
    if (state === 'Paid' || state === 'Charging card' || state === 'Preparing' || state === 'Ready')
      return 'The order was not picked up yet: it cannot be delivered'
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
    if (
      state === 'Charging card' ||
      state === 'Paid' ||
      state === 'Preparing' ||
      state === 'Ready' ||
      state === 'Picked up'
    )
      return 'The order was not delivered yet: it cannot be rated'
    return `The order can no longer be rated (${this.failure ?? state})`
  }

  /** An extra tip is for a cart's order (the menu's); the seed's order takes the rating alone. */
  extraTipRefusal(input: RateInput): string | undefined {
    if (input.extraTipCents !== undefined && !this.cart)
      return "An extra tip can only be added to an order placed from the menu's cart"
    return undefined
  }

  cancelRefusal(): string | undefined {
    const { state } = this
    if (this.cancelRequest) return 'The order is already cancelled'
    // A cart's order is the restaurant's once accepted (a shortage still asked leaves the choice open).
    if (this.cart && (state === 'Preparing' || state === 'Ready')) return CANCEL_WHILE_PREPARING
    if (
      this.cart &&
      state === 'Paid' &&
      'accepted' in (this.restaurantAnswer ?? {}) &&
      (!this.shortage || this.shortageGoAhead !== undefined)
    )
      return CANCEL_WHILE_PREPARING
    if (state === 'Charging card' || state === 'Paid') return undefined
    if (state === 'Picked up') return 'The order was already picked up: it can no longer be cancelled'
    if (state === 'Delivered') return 'The order was already delivered: it can no longer be cancelled'
    return `The order has already ended (${this.failure ?? state})`
  }

  /** acceptOrder and declineOrder: once, while a cart's order is Paid and waiting for the restaurant. */
  restaurantAnswerRefusal(): string | undefined {
    const { state, restaurantAnswer } = this
    if (!this.cart) return 'This order has no restaurant step: it was not placed with a cart'
    if (this.cancelRequest) return 'The customer cancelled this order'
    if (state === 'Charging card') return 'The order is not paid yet: the restaurant cannot answer it'
    if (restaurantAnswer)
      return 'accepted' in restaurantAnswer ? 'The order was already accepted' : 'The order was already declined'
    if (state === 'Paid') return undefined
    return `The order can no longer be answered (${this.failure ?? state})`
  }

  /** The dishes named unavailable: some, not all, of the order's, each once. */
  unavailableRefusal(input: AcceptInput): string | undefined {
    const { unavailable } = input
    if (unavailable === undefined || unavailable.length === 0) return undefined
    const ordered = this.cart?.lines.map((line) => line.productId) ?? []
    const unknown = unavailable.filter((id) => !ordered.includes(id))
    if (unknown.length > 0) return `These dishes are not in the order: ${JSON.stringify(unknown)}`
    if (new Set(unavailable).size !== unavailable.length) return 'unavailable names a dish twice'
    if (unavailable.length === ordered.length) return 'Every dish of the order is unavailable: decline it instead'
    return undefined
  }

  markReadyRefusal(): string | undefined {
    const { state } = this
    if (!this.cart) return 'This order has no restaurant step: it was not placed with a cart'
    if (state === 'Preparing') return undefined
    if (state === 'Paid' && this.shortage && !this.shortage.outcome)
      return 'The customer has not answered the shortage yet: the order is not being prepared'
    if (state === 'Charging card' || state === 'Paid') return 'The order was not accepted yet: it cannot be ready'
    if (state === 'Ready') return 'The order is already ready'
    if (state === 'Picked up' || state === 'Delivered') return 'The order was already picked up'
    return `The order can no longer be marked ready (${this.failure ?? state})`
  }

  answerShortageRefusal(): string | undefined {
    if (!this.shortage) return 'The restaurant has not reported a shortage for this order'
    if (this.cancelRequest) return 'The order is already cancelled'
    if (this.shortage.outcome || this.shortageGoAhead !== undefined) return 'The shortage was already answered'
    if (this.state !== 'Paid') return `The order can no longer be answered (${this.failure ?? this.state})`
    return undefined
  }
}
