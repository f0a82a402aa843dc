import { defaultPayloadConverter, type Duration, type Payload } from '@temporalio/common'
import { msToNumber } from '@temporalio/common/lib/time'
// The default export: named imports of this CommonJS module fail under Node's ESM loader (tsx, the benches).
import proto, { type temporal } from '@temporalio/proto'
import { z } from 'zod'
import {
  DEFAULT_ORDER_WAITS,
  subtotalCents,
  withoutDishes,
  type OrderLine,
  type OrderRating,
  type OrderShortage,
  type OrderState,
  type OrderStatus,
  type OrderTip,
  type RestaurantStep,
  type SentNotification,
} from '@durable-delivery/common'
import { ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { PATCH_MARKERS } from '@durable-delivery/workflows/billed-actions'

/**
 * The `order` workflow's getStatus answer, worked out from its history instead of asked of the
 * Worker (docs/architecture.md, "Live order status"). The order card already long-polls the
 * history; reading the status from what it receives costs no Query (a billed action on Cloud,
 * and a replay on the Worker when the order is out of its cache).
 *
 * It follows the workflow's own records: the start input (product, options, cart), the
 * OrderState given at start and then upserted, the memo upserts (deadlines, extra tip), the activities (a notification
 * counts once sendPushNotification completed, with its input as the message), the accepted
 * Updates with their inputs, and the timers by their summaries; patch markers change nothing. A time is the workflow's clock:
 * the start of the workflow task that made the change, as `Date.now()` there. Whatever it cannot
 * derive exactly it does not guess: `value()` is then undefined and the caller asks the Query.
 * `status-projection.test.ts` replays every committed history and compares after every workflow
 * task, so a workflow change the projection does not follow fails there.
 */

type HistoryEvent = temporal.api.history.v1.IHistoryEvent
const EventType = proto.temporal.api.enums.v1.EventType

/** The options as the workflow reads them (read-options.ts): only what the status shows. */
const startOptions = z
  .object({
    customerId: z.string().optional(),
    lines: z.array(z.object({ productId: z.number(), quantity: z.number(), cents: z.number() })).optional(),
    tip: z.object({ cents: z.number(), percent: z.number().optional() }).optional(),
    ratingDelay: z.union([z.string(), z.number()]).optional(),
    ratingWindow: z.union([z.string(), z.number()]).optional(),
    acceptDeadline: z.union([z.string(), z.number()]).optional(),
    shortageDeadline: z.union([z.string(), z.number()]).optional(),
    paymentDeadline: z.union([z.string(), z.number()]).optional(),
  })
  .loose()

const pricedInput = z.object({ cents: z.number(), name: z.string() }).loose()
const updateInputs = {
  pickUp: z.tuple([z.object({ driverId: z.string() }).loose()]),
  cancelOrder: z.tuple([z.object({ reason: z.string().optional() }).loose().optional()]).or(z.tuple([])),
  rate: z.tuple([
    z.object({ stars: z.number(), comment: z.string().optional(), extraTipCents: z.number().optional() }).loose(),
  ]),
  acceptOrder: z
    .tuple([
      z
        .object({ readyInMinutes: z.number().optional(), unavailable: z.array(z.number()).optional() })
        .loose()
        .optional(),
    ])
    .or(z.tuple([])),
  declineOrder: z.tuple([z.object({ reason: z.string().optional() }).loose().optional()]).or(z.tuple([])),
  answerShortage: z.tuple([z.object({ goAhead: z.boolean() }).loose()]),
} as const
/** Updates that change nothing getStatus shows beyond what their commands (state upserts) say. */
const PLAIN_UPDATES = new Set(['deliver', 'markReady', 'waitForPayment'])

/** The restaurant's estimate when it gives none (restaurant-step.ts). */
const DEFAULT_READY_IN_MINUTES = 20

/** How the execution ended, as the status view needs it (visibleState). */
export type ProjectedExecution = 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'TIMED_OUT'

interface Activity {
  type: string
  input: unknown[]
  /** A push whose cancel was requested (an operator's cancel): its promise rejected, nothing is recorded. */
  cancelRequested?: boolean
}

type Close = { execution: ProjectedExecution; failureMessage?: string }

/** Events the projection understands; any other one (a child, a continue-as-new) makes it give up, and so does a marker other than a patch's. */
const KNOWN = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
  EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
  EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_TIMER_FIRED,
  EventType.EVENT_TYPE_TIMER_CANCELED,
  EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  EventType.EVENT_TYPE_MARKER_RECORDED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
])

/** Events a workflow task's completion records (Core's command events). */
const COMMANDS = new Set<number>([
  EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_TIMER_CANCELED,
  EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  EventType.EVENT_TYPE_MARKER_RECORDED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
])

/** Events a workflow task's activation receives (they take effect when that task completes). */
const ACTIVATING = new Set<number>([
  EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
  EventType.EVENT_TYPE_TIMER_FIRED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
])

export class StatusProjection {
  /** Set when something was met that the projection cannot follow exactly. */
  private unknown: string | undefined
  /** The last event id applied: a re-read history skips what was already applied. */
  lastEventId = 0
  /** Events received but not yet seen by the workflow: they take effect with the next completed task. */
  private waiting: HistoryEvent[] = []
  /** The start time of the workflow task being completed, and of the last completed one (the Query's clock). */
  private taskStartedAt: number | undefined
  /** A completed task's start, until the next event says it was not a heartbeat. */
  private held: number | undefined
  /** Whether a command was recorded since the last activation's task started (Core's heartbeat rule). */
  private sawCommand = false
  private now: number | undefined
  private readonly activities = new Map<string, Activity>()
  private readonly timers = new Map<string, string>()
  /** What is still to come without a visibility change: a task, activities in flight, timers (their due time). */
  private taskOpen = false
  private readonly inFlight = new Set<string>()
  private readonly timersDue = new Map<string, number>()

  private productId: number | undefined
  private options: z.infer<typeof startOptions> = {}
  private accepted = false
  private state: OrderState | undefined
  /** The OrderState the start gave (the API's): the state from the first task on, until an upsert changes it. */
  private startedState: OrderState | undefined
  private cents?: number
  private productName?: string
  private customerId?: string
  private deliveredAt?: number
  private driverId?: string
  private failure?: string
  private cancelRequest?: { reason?: string }
  private operatorCancel = false
  private readonly notifications: SentNotification[] = []
  private pickupDeadline?: string
  private deliveryDeadline?: string
  private ratingWindowEnd?: number
  private ratingClosed = false
  private rating?: OrderRating
  private lines?: OrderLine[]
  private tip?: OrderTip
  private restaurant?: RestaurantStep
  private readyInMinutes = DEFAULT_READY_IN_MINUTES
  private shortage?: OrderShortage
  private shortageGoAhead = false
  private shortageTimedOut = false
  private refundedCents = 0
  private extraTipCents?: number
  private chargeEnded: 'completed' | 'failed' | 'timed out' | undefined
  private chargeFailure?: string
  /** The last timer that fired, by its summary's first words (e.g. "pickup window"). */
  private firedTimer?: string
  private close: Close | undefined

  /** Applies the history's events in order; an event already applied is skipped. */
  apply(events: Iterable<HistoryEvent>): void {
    for (const event of events) {
      const id = eventNumber(event.eventId)
      if (id <= this.lastEventId) continue
      this.lastEventId = id
      if (this.unknown) continue
      try {
        this.applyOne(event)
      } catch (error) {
        this.unknown = `event ${id}: ${error instanceof Error ? error.message : String(error)}`
      }
    }
  }

  /**
   * The completed task's activation: it saw what arrived before it started, with its start as the
   * clock; its commands follow. The server writes a heartbeat's next task with its completion, so
   * a history read that ends at a completion ends at a real activation.
   */
  private flush(): void {
    if (this.held === undefined) return
    this.now = this.held
    this.held = undefined
    this.sawCommand = false
    // The first task upserts no OrderState the start already gave (patch start-search-attributes-once).
    this.state ??= this.startedState
    const seen = this.waiting
    this.waiting = []
    for (const waiting of seen) this.activate(waiting)
  }

  /**
   * True while events are due that the visibility store will not announce: a workflow task
   * running, an activity in flight (a notification being sent), a timer past its time, or a
   * cart's restaurant yet to answer (a shortage question changes no state, so no search
   * attribute says it came).
   */
  settling(): boolean {
    if (this.close) return false
    if (this.taskOpen || this.held !== undefined || this.waiting.length > 0 || this.inFlight.size > 0) return true
    if (this.restaurant?.acceptDeadline !== undefined) return true
    const now = Date.now()
    for (const due of this.timersDue.values()) if (due <= now) return true
    return false
  }

  /** True before the order's first workflow task completed: its status comes with that task. */
  awaitingFirstTask(): boolean {
    return this.unknown === undefined && this.close === undefined && this.now === undefined && this.held === undefined
  }

  /** Why the projection gave up, if it did (diagnostics). */
  get cannot(): string | undefined {
    return this.unknown ?? (this.state === undefined ? 'no state yet' : undefined)
  }

  /** How the execution ended so far. */
  get execution(): ProjectedExecution {
    return this.close?.execution ?? 'RUNNING'
  }

  /** The status as getStatus would answer after the last completed workflow task; undefined when not derivable. */
  value(): OrderStatus | undefined {
    if (this.unknown === undefined && this.held !== undefined) {
      try {
        this.flush()
      } catch (error) {
        this.unknown = error instanceof Error ? error.message : String(error)
      }
    }
    if (this.cannot !== undefined || this.productId === undefined || this.state === undefined) return undefined
    const failure = this.failureNow()
    if (failure === null) return undefined
    const state = this.state
    const cart = this.lines !== undefined
    const waitingForPickup = state === (cart ? 'Ready' : 'Paid') && this.cancelRequest === undefined
    const rateable =
      this.rating === undefined &&
      state === 'Delivered' &&
      !this.ratingClosed &&
      this.ratingWindowEnd !== undefined &&
      (this.now ?? 0) < this.ratingWindowEnd
    const status: OrderStatus = {
      productId: this.productId,
      state,
      // The wire form (JSON) of the workflow's Date.
      ...(this.deliveredAt !== undefined ? { deliveredAt: new Date(this.deliveredAt) } : {}),
      ...(this.cents !== undefined ? { cents: this.cents } : {}),
      ...(this.driverId !== undefined ? { driverId: this.driverId } : {}),
      ...(failure !== undefined ? { failure } : {}),
      ...(this.customerId !== undefined ? { customerId: this.customerId } : {}),
      ...(this.notifications.length > 0 ? { notifications: this.notifications.map((sent) => ({ ...sent })) } : {}),
      ...(waitingForPickup && this.pickupDeadline ? { pickupDeadline: this.pickupDeadline } : {}),
      ...(state === 'Picked up' && this.deliveryDeadline ? { deliveryDeadline: this.deliveryDeadline } : {}),
      ...(rateable ? { ratingDeadline: new Date(this.ratingWindowEnd!).toISOString() } : {}),
      ...(this.rating ? { rating: { ...this.rating } } : {}),
    }
    if (cart && this.restaurant) {
      const step = { ...this.restaurant }
      if (state !== 'Paid' || this.cancelRequest) delete step.acceptDeadline
      Object.assign(status, {
        lines: this.lines!.map((line) => ({ ...line })),
        subtotalCents: subtotalCents(this.lines!),
        ...(this.tip ? { tip: { ...this.tip } } : {}),
        restaurant: step,
        ...(this.shortage ? { shortage: this.shortageNow(this.shortage) } : {}),
        refundedCents: this.refundedCents,
        ...(this.extraTipCents !== undefined ? { extraTipCents: this.extraTipCents } : {}),
      })
    }
    return status
  }

  /** A shortage as getStatus shows it: its deadline only while the customer can still answer. */
  private shortageNow(shortage: OrderShortage): OrderShortage {
    const shown = { ...shortage, productIds: [...shortage.productIds] }
    const answerable =
      this.cancelRequest === undefined &&
      shortage.outcome === undefined &&
      !this.shortageGoAhead &&
      !this.shortageTimedOut &&
      this.state === 'Paid'
    if (!answerable) delete shown.deadline
    return shown
  }

  /** The model's `failure` now: a string, undefined (none), or null when it cannot be told. */
  private failureNow(): string | undefined | null {
    if (this.close?.execution === 'FAILED') return this.close.failureMessage ?? null
    if (this.close && this.close.execution !== 'COMPLETED' && this.close.execution !== 'CANCELLED') return null
    return this.failure
  }

  private giveUp(why: string): never {
    throw new Error(why)
  }

  private applyOne(event: HistoryEvent): void {
    const type = event.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED
    if (!KNOWN.has(type)) this.giveUp(`an event the projection does not follow (${EventType[type] ?? type})`)
    const at = protoMs(event.eventTime) ?? this.giveUp('an event without a time')
    if (this.held !== undefined) {
      // A task followed at once by another, with no command since the last activation, is a
      // heartbeat: the Worker (Core) runs one activation across both, at the later one's start.
      if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED && !this.sawCommand) this.held = undefined
      else this.flush()
    }
    if (COMMANDS.has(type)) this.sawCommand = true
    this.track(event, type, at)
    switch (type) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const input = payloads(event.workflowExecutionStartedEventAttributes?.input?.payloads)
        const productId = input[0]
        if (typeof productId !== 'number') this.giveUp('the order was started without a numeric productId')
        this.productId = productId
        const options = startOptions.safeParse(input[1] ?? {})
        // Options the workflow refuses end the order at once (InvalidOrderOptions): the failure says it.
        if (options.success) this.options = options.data
        this.startedState = orderStateIn(event.workflowExecutionStartedEventAttributes?.searchAttributes)
        return
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        this.taskStartedAt = at
        return
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        // Held until the next event says whether this task was a heartbeat (see `flush`).
        this.held = this.taskStartedAt
        return
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        // Its commands were dropped; what it saw is seen again by the next attempt.
        return
      default:
        if (ACTIVATING.has(type)) this.waiting.push(event)
        else this.command(event)
    }
  }

  /** What is still to come (settling): tasks, activities and timers opened and closed. */
  private track(event: HistoryEvent, type: temporal.api.enums.v1.EventType, at: number): void {
    switch (type) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        this.taskOpen = true
        return
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        this.taskOpen = false
        return
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        this.inFlight.add(String(event.eventId))
        return
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
        const attributes =
          event.activityTaskCompletedEventAttributes ??
          event.activityTaskFailedEventAttributes ??
          event.activityTaskTimedOutEventAttributes ??
          event.activityTaskCanceledEventAttributes
        this.inFlight.delete(String(attributes?.scheduledEventId ?? ''))
        return
      }
      case EventType.EVENT_TYPE_TIMER_STARTED: {
        const duration = protoMs(event.timerStartedEventAttributes?.startToFireTimeout) ?? 0
        this.timersDue.set(String(event.timerStartedEventAttributes?.timerId ?? ''), at + duration)
        return
      }
      case EventType.EVENT_TYPE_TIMER_FIRED:
      case EventType.EVENT_TYPE_TIMER_CANCELED: {
        const attributes = event.timerFiredEventAttributes ?? event.timerCanceledEventAttributes
        this.timersDue.delete(String(attributes?.timerId ?? ''))
        return
      }
    }
  }

  /** What an activation received, applied with the clock of the task that completed it. */
  private activate(event: HistoryEvent): void {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const attributes = event.activityTaskCompletedEventAttributes
        const activity = this.activities.get(String(attributes?.scheduledEventId ?? ''))
        if (!activity) this.giveUp('an activity completed that was never scheduled')
        const result = payloads(attributes?.result?.payloads)[0]
        this.activityCompleted(activity, result)
        return
      }
      case EventType.EVENT_TYPE_TIMER_FIRED: {
        const summary = this.timers.get(String(event.timerFiredEventAttributes?.timerId ?? ''))
        this.firedTimer = summary
        // The rating window closed without a rating (rating.ts: closeRating).
        if (summary === 'rating window' && this.rating === undefined) this.ratingClosed = true
        // No answer in time: the story goes ahead without the dishes (cart-money.ts).
        if (summary === 'shortage answer') this.shortageTimedOut = true
        return
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED:
        this.operatorCancel = true
        // A delivered meal stays paid for: the cancel only closes the rating.
        if (this.state === 'Delivered') this.ratingClosed = true
        return
    }
  }

  private activityCompleted(activity: Activity, result: unknown): void {
    switch (activity.type) {
      case 'sendPushNotification': {
        if (activity.cancelRequested) return
        const message = activity.input[0]
        if (typeof message !== 'string') this.giveUp('a notification without a message')
        this.notifications.push({ message, at: this.iso() })
        return
      }
      case 'refundOrder': {
        const purpose = (activity.input[1] as { purpose?: unknown } | undefined)?.purpose
        if (purpose === 'shortage') return this.shortageSettled()
        // A full refund counts what was charged (settlement.ts).
        if (result !== 'nothing to refund') this.refundedCents = this.cents ?? 0
        return
      }
      case 'chargeCustomer':
        if (this.chargeEnded === undefined) this.chargeEnded = 'completed'
        return
    }
  }

  /** A command of the task that just completed (or an event the workflow does not see, e.g. a start). */
  private command(event: HistoryEvent): void {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const attributes = event.activityTaskScheduledEventAttributes
        const type = attributes?.activityType?.name ?? ''
        const input = payloads(attributes?.input?.payloads)
        this.activities.set(String(event.eventId), { type, input })
        // The first charge follows the accepted options (order-model.ts: accept).
        if (type === 'chargeCustomer' && !this.accepted) this.acceptOptions(input)
        return
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED: {
        const scheduled = String(event.activityTaskCancelRequestedEventAttributes?.scheduledEventId ?? '')
        const activity = this.activities.get(scheduled)
        if (activity) activity.cancelRequested = true
        return
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attributes = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes
        const activity = this.activities.get(String(attributes?.scheduledEventId ?? ''))
        if (activity?.type === 'chargeCustomer' && this.chargeEnded === undefined) {
          this.chargeEnded = event.activityTaskTimedOutEventAttributes ? 'timed out' : 'failed'
          this.chargeFailure = event.activityTaskFailedEventAttributes?.failure?.message ?? undefined
        }
        return
      }
      case EventType.EVENT_TYPE_TIMER_STARTED: {
        const summary = payloads(event.userMetadata?.summary ? [event.userMetadata.summary] : [])[0]
        const name = typeof summary === 'string' ? summary.replace(/ (?:in |within )?[\dhms]+$/, '') : ''
        this.timers.set(String(event.timerStartedEventAttributes?.timerId ?? ''), name)
        // The rating window runs from the prompt (rating.ts: ratingWindowOpened).
        if (name === 'rating window') {
          const ms = protoMs(event.timerStartedEventAttributes?.startToFireTimeout)
          if (ms === undefined) this.giveUp('a rating window without a duration')
          this.ratingWindowEnd = this.clock() + ms
        }
        return
      }
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const state = orderStateIn(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes)
        if (state !== undefined) this.enter(state)
        return
      }
      case EventType.EVENT_TYPE_MARKER_RECORDED: {
        // A patch's marker only says which branch the code took: what it changed is in the commands.
        const name = event.markerRecordedEventAttributes?.markerName ?? ''
        if (!PATCH_MARKERS.has(name)) this.giveUp(`a marker the projection does not follow (${name})`)
        return
      }
      case EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED: {
        const fields = event.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields ?? {}
        const memo = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, payloads([value])[0]]))
        if (typeof memo.pickupDeadline === 'string') this.pickupDeadline = memo.pickupDeadline
        if (typeof memo.deliveryDeadline === 'string') this.deliveryDeadline = memo.deliveryDeadline
        if (typeof memo.extraTipCents === 'number') this.extraTipCents = memo.extraTipCents
        return
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
        const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input
        this.updateAccepted(request?.name ?? '', payloads(request?.args?.payloads))
        return
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        this.close = { execution: 'COMPLETED' }
        return
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: {
        const message = event.workflowExecutionFailedEventAttributes?.failure?.message
        this.close = { execution: 'FAILED', ...(message ? { failureMessage: message } : {}) }
        return
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
        this.close = { execution: 'CANCELLED' }
        return
      default:
        // Admitted and completed Updates, signals, started and cancelled activities and timers:
        // what they change is in the commands that follow them.
        return
    }
  }

  private acceptOptions(input: unknown[]): void {
    const priced = pricedInput.safeParse(input[0])
    if (!priced.success) this.giveUp('a charge without a price')
    this.accepted = true
    this.cents = priced.data.cents
    this.productName = priced.data.name
    const { customerId, lines, tip } = this.options
    if (customerId !== undefined) this.customerId = customerId
    if (lines !== undefined) {
      // Copied field by field, as read-options.ts does.
      this.lines = lines.map(({ productId, quantity, cents }) => ({ productId, quantity, cents }))
      if (tip !== undefined)
        this.tip = tip.percent === undefined ? { cents: tip.cents } : { cents: tip.cents, percent: tip.percent }
      this.restaurant = {}
    }
  }

  /** An OrderState upsert: the model's setState, with what each state change does beside it. */
  private enter(state: OrderState): void {
    const previous = this.state
    this.state = state
    const now = this.clock()
    if (state === 'Paid' && this.restaurant && previous !== 'Paid')
      this.restaurant.acceptDeadline = new Date(now + this.wait('acceptDeadline')).toISOString()
    if (state === 'Preparing' && this.restaurant) {
      delete this.restaurant.acceptDeadline
      this.restaurant.readyBy = new Date(now + this.readyInMinutes * 60_000).toISOString()
    }
    if (state === 'Ready' && this.restaurant) this.restaurant.readyAt = this.iso()
    if (state === 'Delivered') {
      this.deliveredAt = now
      if (this.customerId !== undefined)
        this.ratingWindowEnd = now + this.wait('ratingDelay') + this.wait('ratingWindow')
    }
    if (state === 'Refunding' && this.failure === undefined) this.failure = this.refundReason()
    if (state === 'Failed' && this.failure === undefined && this.chargeEnded === 'failed' && this.close === undefined) {
      // A declined card (charge.ts): Failed while the customer is told, before the order ends.
      if (this.chargeFailure === undefined || this.productName === undefined) this.giveUp('a decline without a reason')
      this.failure = `Failed to charge customer for ${this.productName}. Error: ${this.chargeFailure}`
    }
    if (state === 'Cancelled' && this.failure === undefined) this.failure = this.cancelReason()
  }

  /** Why the order is being refunded (settlement.ts, refundAndFail and settleCancellation). */
  private refundReason(): string {
    if (this.operatorCancel || this.cancelRequest) return this.cancelReason()
    if (this.restaurant?.declined !== undefined) {
      const reason = this.restaurant.declined === 'The restaurant gave no reason' ? '' : this.restaurant.declined
      return `Declined by the restaurant${reason ? `: ${reason}` : ''}`
    }
    if (this.chargeEnded === 'timed out' || this.chargeEnded === 'failed') {
      return `Payment not confirmed within ${Math.round(this.wait('paymentDeadline') / 1000)} seconds`
    }
    switch (this.firedTimer) {
      case 'pickup window':
        return 'Not picked up in time'
      case 'delivery window':
        return 'Not delivered in time'
      case 'accept deadline':
        return 'Not accepted by the restaurant in time'
      case 'ready':
        return 'Not prepared in time'
    }
    return this.giveUp('a refund whose reason the history does not say')
  }

  private cancelReason(): string {
    if (this.operatorCancel) return 'Cancelled by an operator'
    const reason = this.cancelRequest?.reason
    return `Cancelled by the customer${reason ? `: ${reason}` : ''}`
  }

  private updateAccepted(name: string, args: unknown[]): void {
    if (PLAIN_UPDATES.has(name)) return
    if (!(name in updateInputs)) this.giveUp(`an Update the projection does not follow (${name})`)
    const parsed = updateInputs[name as keyof typeof updateInputs].safeParse(args)
    if (!parsed.success) this.giveUp(`an Update ${name} with an input the projection does not read`)
    const input = parsed.data[0]
    switch (name) {
      case 'pickUp':
        this.driverId = (input as { driverId: string }).driverId
        return
      case 'cancelOrder': {
        const reason = (input as { reason?: string } | undefined)?.reason?.trim()
        this.cancelled(reason ? { reason } : {})
        return
      }
      case 'rate': {
        const { stars, comment } = input as { stars: number; comment?: string }
        const trimmed = comment?.trim()
        this.rating = { stars, ...(trimmed ? { comment: trimmed } : {}), at: this.iso() }
        return
      }
      case 'acceptOrder': {
        const { readyInMinutes, unavailable = [] } = (input ?? {}) as {
          readyInMinutes?: number
          unavailable?: number[]
        }
        if (readyInMinutes !== undefined) this.readyInMinutes = readyInMinutes
        this.restaurant!.acceptedAt = this.iso()
        delete this.restaurant!.acceptDeadline
        if (unavailable.length > 0) {
          // The story asks the customer in this very task (cart-money.ts: settleShortage).
          const { refundCents } = withoutDishes(this.lines!, this.tip, unavailable)
          const deadline = new Date(this.clock() + this.wait('shortageDeadline')).toISOString()
          this.shortage = { productIds: [...unavailable], refundCents, deadline }
          delete this.restaurant!.acceptDeadline
        }
        return
      }
      case 'declineOrder': {
        const reason = (input as { reason?: string } | undefined)?.reason?.trim()
        this.restaurant!.declined = reason || 'The restaurant gave no reason'
        delete this.restaurant!.acceptDeadline
        return
      }
      case 'answerShortage':
        if ((input as { goAhead: boolean }).goAhead) this.shortageGoAhead = true
        else this.cancelled({ reason: 'the restaurant is out of a dish' })
        return
    }
  }

  private cancelled(request: { reason?: string }): void {
    this.cancelRequest = request
    // A shortage still asked is settled as cancelled in this task (cart-money.ts).
    if (this.shortage && this.shortage.outcome === undefined && !this.shortageGoAhead) {
      delete this.shortage.deadline
      this.shortage.outcome = 'cancelled'
    }
  }

  /** The shortage's partial refund went through: the lines and tip fall (order-model.ts: settleShortage). */
  private shortageSettled(): void {
    const shortage = this.shortage ?? this.giveUp('a shortage refund without a shortage')
    delete shortage.deadline
    shortage.outcome = this.shortageGoAhead ? 'went ahead' : 'timed out'
    const kept = withoutDishes(this.lines!, this.tip, shortage.productIds)
    this.lines = kept.lines
    this.tip = kept.tip
    this.refundedCents += kept.refundCents
  }

  private wait(name: keyof typeof DEFAULT_ORDER_WAITS): number {
    return msToNumber((this.options[name] ?? DEFAULT_ORDER_WAITS[name]) as Duration)
  }

  private clock(): number {
    return this.now ?? this.giveUp('a command before any workflow task completed')
  }

  private iso(): string {
    return new Date(this.clock()).toISOString()
  }
}

/** A protobuf Timestamp or Duration in milliseconds (whole ones, as the workflow's clock has them). */
function protoMs(
  value: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined,
): number | undefined {
  if (value === null || value === undefined) return undefined
  return Number((value.seconds ?? 0).toString()) * 1000 + Math.floor((value.nanos ?? 0) / 1_000_000)
}

/** An event id as a number (the protos carry them as Long). */
export function eventNumber(value: { toString(): string } | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value.toString())
}

/** The OrderState a start's or an upsert's search attributes set, if they set one. */
function orderStateIn(attributes: temporal.api.common.v1.ISearchAttributes | null | undefined): OrderState | undefined {
  const field = attributes?.indexedFields?.[ORDER_STATE.name]
  return field ? (payloads([field])[0] as OrderState) : undefined
}

function payloads(list: readonly Payload[] | null | undefined): unknown[] {
  return (list ?? []).map((payload) => defaultPayloadConverter.fromPayload(payload))
}
