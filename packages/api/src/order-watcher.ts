import { isGrpcDeadlineError, type Client } from '@temporalio/client'
// The default export: named imports of this CommonJS module fail under Node's ESM loader (tsx, the benches).
import proto, { type temporal } from '@temporalio/proto'
import { errorMessage } from '@durable-delivery/common'
import { ORDER_UPDATED_AT } from '@durable-delivery/common/search-attributes'

/**
 * One watcher per workflow per server process, shared by every subscriber (every browser tab,
 * every SSE connection) that watches it. It long-polls the workflow's history
 * (`getWorkflowExecutionHistory` with `waitNewEvent`), so Temporal is asked once per change and
 * not once per browser per second; after each workflow task (the only moment the workflow's state
 * can change) it reads the value once and fans it out. It stops when its last subscriber leaves
 * or the workflow closes.
 *
 * Generic over what is read (the order card reads the status view; the driver list could read a
 * row), so that other live views reuse the same long poll.
 */

/** A value as one subscriber receives it: `id` is the SSE event id that a reconnect resumes from. */
export interface WatchedValue<T> {
  id: string
  value: T
}

export interface WatchOptions<T> {
  client: Client
  namespace: string
  workflowId: string
  /** Reads the current value (one Query); throws when it cannot, which ends the subscriptions. */
  read: () => Promise<T>
  /**
   * True when the value was read without the Worker (e.g. from search attributes): then nothing
   * in the history will announce the Worker's return, so the watcher reads again every few seconds.
   */
  isDegraded?: (value: T) => boolean
  /** The id of the last value this subscriber saw before it reconnected (SSE Last-Event-ID). */
  lastEventId?: string | null
  /** Ends this subscription (the browser went away). */
  signal?: AbortSignal
  /**
   * Works the value out from the history the watcher reads, so that no Query is sent; `read` is
   * then only asked when the projection cannot say (its `value()` is undefined).
   */
  project?: () => HistoryProjector<T>
  /** This process's budget of concurrent history long polls (LIVE_LONG_POLLS); past it, the order is swept. */
  longPolls?: number
}

/** A value worked out from a workflow's history events, fed in order as the watcher reads them. */
export interface HistoryProjector<T> {
  apply(events: HistoryEvent[]): void
  /** The value after the last completed workflow task, or undefined when only `read` can say. */
  value(): T | undefined
  /**
   * True while more events are due that the visibility store will not announce (an activity in
   * flight, e.g. a notification being sent): the sweep then reads the history again next round.
   */
  settling?(): boolean
  /** True before the first workflow task completed: the value is due with it, so no Query yet. */
  awaitingFirstTask?(): boolean
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent

/** After this event the workflow's state may have changed. */
const WORKFLOW_TASK_COMPLETED = proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
/** While degraded, how long one long poll may wait before the value is read again. */
const DEGRADED_RETRY_MS = 3_000
/** A healthy long poll is cut after this and simply renewed (the server's own long-poll limit is about 20 s). */
const LONG_POLL_MS = 60_000
/** A failing read is tried this many times, READ_RETRY_MS × attempt apart, before subscribers are told. */
const READ_ATTEMPTS = 4
const READ_RETRY_MS = 250
/** After a failed long poll, before trying again: a dead server must not make this a busy loop. */
const ERROR_BACKOFF_MS = 1_000
/** The server refused a long poll (namespace concurrent poller limit exceeded). */
const RESOURCE_EXHAUSTED = 8
/** Events after which the workflow is closed: nothing more will happen to it. */
const CLOSING = new Set<number>([
  proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
])

type WatchEvent<T> = { kind: 'value'; value: WatchedValue<T> } | { kind: 'error'; error: unknown } | { kind: 'end' }
type Subscriber<T> = (event: WatchEvent<T>) => void

class WorkflowWatcher<T> {
  readonly subscribers = new Set<Subscriber<T>>()
  current: WatchedValue<T> | undefined
  private readonly stopping = new AbortController()
  private lastSerialized: string | undefined

  constructor(
    private readonly options: Omit<WatchOptions<T>, 'lastEventId' | 'signal'>,
    private readonly onStop: () => void,
  ) {
    this.projector = options.project?.()
  }

  start(): void {
    void this.run()
      .catch((error: unknown) => this.publish({ kind: 'error', error }))
      .finally(() => {
        this.publish({ kind: 'end' })
        this.onStop()
      })
  }

  stop(): void {
    this.stopping.abort()
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted
  }

  private publish(event: WatchEvent<T>): void {
    for (const subscriber of this.subscribers) subscriber(event)
  }

  /**
   * Reads, trying again a few times: a Query can fail for a moment (a brand-new order whose first
   * workflow task is still running, a Worker restarting); only a lasting failure reaches the
   * subscribers.
   */
  private async readWithRetries(): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.options.read()
      } catch (error) {
        if (attempt >= READ_ATTEMPTS || this.stopped) throw error
        console.warn(`Watching ${this.options.workflowId}: read failed (${errorMessage(error)}), trying again`)
        await delay(READ_RETRY_MS * attempt, this.stopping.signal)
      }
    }
  }

  /**
   * Publishes the value: from the history when the projection can say it, else by `read`.
   * `mayWait`: before the order's first workflow task the history says nothing yet, and that task
   * says it soon; the caller waits for it instead of sending a Query (undefined is then returned).
   */
  private async readAndPublish(lastHistoryEventId: number, mayWait = false): Promise<T | undefined> {
    // The history says it: no Query (docs/architecture.md, "Live order status").
    const projected = this.projector?.value()
    if (projected === undefined && mayWait && this.projector?.awaitingFirstTask?.()) return undefined
    if (projected !== undefined) this.projected++
    const value = projected ?? (await this.readWithRetries())
    const degraded = this.options.isDegraded?.(value) ?? false
    // The id says how far into the history this value was read, so it means the same on any
    // server process a reconnect lands on; a value read without the Worker gets its own id, so
    // that the Worker's answer for the same point in the history is still sent after a resume.
    const id = `${lastHistoryEventId}${degraded ? '~' : ''}`
    const serialized = JSON.stringify(value)
    if (serialized !== this.lastSerialized || this.current === undefined) {
      this.lastSerialized = serialized
      this.current = { id, value }
      this.publish({ kind: 'value', value: this.current })
    }
    return value
  }

  /** The process's long polls, and its sweep for the orders past them. */
  private get budget(): LongPollBudget {
    return longPollBudget(this.options.longPolls)
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.budget.take()) {
        let outcome: 'closed' | 'refused'
        try {
          outcome = await this.longPoll()
        } finally {
          this.budget.release()
        }
        if (outcome === 'closed') return
        // Refused by the server: this order is swept, instead of its long poll retrying hot.
        this.budget.refused()
      }
      if ((await this.swept()) === 'closed') return
    }
  }

  private nextPageToken: Uint8Array | undefined
  private lastEventId = 0
  private degraded = false
  /** Values worked out from the history (tests, diagnostics): each one a Query not sent. */
  projected = 0
  private readonly projector: HistoryProjector<T> | undefined

  private see(events: HistoryEvent[]): { workflowTask: boolean; closed: boolean } {
    let workflowTask = false
    let closed = false
    this.projector?.apply(events)
    for (const event of events) {
      this.lastEventId = Math.max(this.lastEventId, Number(event.eventId ?? 0))
      if (event.eventType === WORKFLOW_TASK_COMPLETED) workflowTask = true
      if (CLOSING.has(event.eventType ?? 0)) closed = true
    }
    return { workflowTask, closed }
  }

  /**
   * Past the budget: the process's one sweep says when this order's visibility record shows more
   * than was read (or while events are due that it would not show); then one history read
   * without waiting, and the value from it. Ends when the order closes, or when a long poll is
   * free again.
   */
  private async swept(): Promise<'closed' | 'promoted' | 'stopped'> {
    const { client, namespace, workflowId } = this.options
    const member = sweepFor(client, namespace).join(workflowId, {
      settling: () => this.projector?.settling?.() ?? false,
    })
    this.swepts++
    try {
      let first = true
      let waited = 0
      while (!this.stopped) {
        const why = first ? 'changed' : await member.next(this.stopping.signal)
        first = false
        if (why === 'stopped') return 'stopped'
        if (why === 'promoted') return 'promoted'
        let page: temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse | undefined
        let pageToken: Uint8Array | undefined
        const events: HistoryEvent[] = []
        try {
          do {
            page = await client.connection.withDeadline(Date.now() + READ_DEADLINE_MS, () =>
              client.workflowService.getWorkflowExecutionHistory({
                namespace,
                execution: { workflowId },
                nextPageToken: pageToken ?? null,
              }),
            )
            events.push(...(page.history?.events ?? []))
            pageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined
          } while (pageToken && !this.stopped)
        } catch (error) {
          if (this.stopped) return 'stopped'
          console.warn(`Watching ${workflowId}: history read failed (${errorMessage(error)}), trying next round`)
          continue
        }
        const fresh = events.filter((event) => Number(event.eventId ?? 0) > this.lastEventId)
        const { workflowTask, closed } = this.see(fresh)
        if (workflowTask || closed || this.current === undefined || this.degraded) {
          // A new order's first task is due in a moment; only a lasting wait asks the Query.
          const value = await this.readAndPublish(this.lastEventId, !closed && waited++ < FIRST_TASK_ROUNDS)
          if (value !== undefined) this.degraded = this.options.isDegraded?.(value) ?? false
        }
        if (closed) return 'closed'
        // A long poll is free again: the next one starts past what was read here.
        this.nextPageToken = undefined
      }
      return 'stopped'
    } finally {
      member.leave()
    }
  }

  /** How many times this watcher joined the sweep (tests, diagnostics). */
  swepts = 0

  /** Long-polls the history until the workflow closes, or the server refuses the long poll. */
  private async longPoll(): Promise<'closed' | 'refused'> {
    const { client, namespace, workflowId } = this.options
    let nextPageToken = this.nextPageToken
    let mustRead = this.current === undefined
    let degraded = this.degraded
    let closed = false
    /** Waiting for a new order's first task instead of asking: asked once the short wait ends. */
    let awaitingFirst = false
    while (!this.stopped) {
      let failed = false
      try {
        // The first call returns the history so far; later calls wait for events past the token.
        const wait = degraded || awaitingFirst ? DEGRADED_RETRY_MS : LONG_POLL_MS
        const page = await whileNotStopped(this.stopping.signal, (signal) =>
          client.connection.withAbortSignal(signal, () =>
            client.connection.withDeadline(Date.now() + wait, () =>
              client.workflowService.getWorkflowExecutionHistory({
                namespace,
                execution: { workflowId },
                nextPageToken,
                waitNewEvent: true,
              }),
            ),
          ),
        )
        // A long poll that starts from the beginning again (after the sweep) sees events it has.
        const fresh = (page.history?.events ?? []).filter((event) => Number(event.eventId ?? 0) > this.lastEventId)
        const seen = this.see(fresh)
        if (seen.workflowTask) mustRead = true
        // A long poll that ran its course comes back empty just before its deadline, not as a
        // deadline error: while degraded or waiting for the first task, the moment to read.
        else if (fresh.length === 0) mustRead ||= degraded || awaitingFirst
        nextPageToken = page.nextPageToken ?? undefined
        this.nextPageToken = nextPageToken
        // No token: the history is complete, the workflow has closed.
        if (!nextPageToken || nextPageToken.length === 0) closed = mustRead = true
      } catch (error) {
        if (this.stopped) return 'closed'
        if ((error as { code?: unknown }).code === RESOURCE_EXHAUSTED) {
          console.warn(`Watching ${workflowId}: the server refused the long poll (${errorMessage(error)}); sweeping it`)
          this.degraded = degraded
          return 'refused'
        }
        if (isGrpcDeadlineError(error)) {
          // An ordinary end of a long poll; while degraded, the moment to ask the Worker again.
          mustRead ||= degraded || awaitingFirst
        } else {
          failed = true
          console.warn(`Watching ${workflowId}: history long poll failed (${errorMessage(error)}), reading again`)
          mustRead = true
        }
      }
      if (this.stopped) return 'closed'
      if (mustRead) {
        // A failed read ends the watch: subscribers get the error (SERVICE_UNAVAILABLE, NOT_FOUND)
        // and the browser decides whether to reconnect.
        const mayWait = !closed && !awaitingFirst && !failed
        const value = await this.readAndPublish(this.lastEventId, mayWait)
        awaitingFirst = value === undefined
        if (value !== undefined) degraded = this.options.isDegraded?.(value) ?? false
        mustRead = false
      }
      if (closed) return 'closed'
      if (failed) await delay(ERROR_BACKOFF_MS, this.stopping.signal)
    }
    return 'closed'
  }
}

/** Sweep rounds a new order's first task is waited for before the Query is asked. */
const FIRST_TASK_ROUNDS = 3

/** A non-waiting history read gets this long: it answers at once or the server is in trouble. */
const READ_DEADLINE_MS = 10_000
/** After a refused long poll, no new one starts for this long: the server said it has no room. */
const REFUSED_COOLDOWN_MS = 10_000

/**
 * The process's concurrent history long polls, at most `limit` (LIVE_LONG_POLLS). A refusal by
 * the server (its own limit is lower than the processes' budgets add up to) stops new long polls
 * for a while, so that the orders past it are swept rather than refused one after another.
 */
export class LongPollBudget {
  inUse = 0
  private refusedUntil = 0

  constructor(public limit: number) {}

  take(): boolean {
    if (this.inUse >= this.limit || Date.now() < this.refusedUntil) return false
    this.inUse++
    return true
  }

  release(): void {
    this.inUse = Math.max(0, this.inUse - 1)
  }

  refused(): void {
    this.refusedUntil = Date.now() + REFUSED_COOLDOWN_MS
  }

  get free(): number {
    return Date.now() < this.refusedUntil ? 0 : Math.max(0, this.limit - this.inUse)
  }
}

/** Until the site's configuration says otherwise (tests, the CLI): the default of LIVE_LONG_POLLS. */
const DEFAULT_LONG_POLLS = 200

const processState = globalThis as {
  __durableDeliveryLongPolls?: LongPollBudget
  __durableDeliverySweeps?: WeakMap<Client, Map<string, VisibilitySweep>>
}

/** The process's one budget; `limit` (the site's LIVE_LONG_POLLS) sets it when given. */
export function longPollBudget(limit?: number): LongPollBudget {
  const budget = (processState.__durableDeliveryLongPolls ??= new LongPollBudget(limit ?? DEFAULT_LONG_POLLS))
  if (limit !== undefined) budget.limit = limit
  return budget
}

/** How often the sweep lists what changed, and how many orders it names in one List by id. */
export const SWEEP_INTERVAL_MS = 1_000
const SWEEP_BATCH = 100
/**
 * Each round's List of what changed looks this far back past the previous round: the visibility
 * store lags the history a little, and the workflow's clock is not this process's.
 */
const CHANGED_SINCE_MARGIN_MS = 5_000
/**
 * Every swept order is also checked by id, a slice of them a round, each at least this many
 * rounds apart: what the List of changes cannot see (an order placed before OrderUpdatedAt, a
 * memo-only change such as a rating) arrives within this many seconds.
 */
const CHECK_BY_ID_ROUNDS = 30

type Wake = 'changed' | 'promoted' | 'stopped'

interface SweepMember {
  /** Waits for the sweep's next word on this order (or for `signal`). */
  next(signal: AbortSignal): Promise<Wake>
  leave(): void
}

interface SweepEntry {
  /** True while events are due that visibility will not announce (HistoryProjector.settling). */
  settling: () => boolean
  wake?: (why: Wake) => void
  due?: Wake
  /** The order's visibility record as last seen (see VisibilitySweep.seen). */
  record?: string
}

type ListedExecution = temporal.api.workflow.v1.IWorkflowExecutionInfo

/**
 * One per process and namespace. Every second one List of the orders whose state changed since
 * the last round (`OrderUpdatedAt`, set with every `OrderState` upsert, or closed since), however
 * many orders are swept; an order of ours in it whose history has grown past what its watcher
 * read gets one history read. Orders with events due that visibility will not announce are read
 * every round, and a slice of the orders is checked by id each round (see CHECK_BY_ID_ROUNDS).
 * List calls are not billed actions on Temporal Cloud; they count against its visibility rate
 * limit, at about one a second per process plus one per 3,000 swept orders.
 */
class VisibilitySweep {
  private readonly members = new Map<string, SweepEntry>()
  private timer: ReturnType<typeof setTimeout> | undefined
  /** When the previous round started, and the last List of changes that answered. */
  private lastRoundAt: number | undefined
  private listedUntil: number | undefined
  /** Where the next check by id starts in the members' order, and how many are due for one. */
  private cursor = 0
  private byIdCredit = 0
  /** Rounds run and List calls made (tests, diagnostics). */
  rounds = 0
  lists = 0

  constructor(
    private readonly client: Client,
    private readonly namespace: string,
  ) {}

  get size(): number {
    return this.members.size
  }

  join(workflowId: string, entry: Pick<SweepEntry, 'settling'>): SweepMember {
    const member: SweepEntry = { ...entry }
    this.members.set(workflowId, member)
    this.schedule()
    return {
      next: (signal) =>
        new Promise<Wake>((resolve) => {
          if (member.due) {
            const due = member.due
            member.due = undefined
            return resolve(due)
          }
          const onAbort = () => resolve('stopped')
          signal.addEventListener('abort', onAbort, { once: true })
          member.wake = (why) => {
            member.wake = undefined
            signal.removeEventListener('abort', onAbort)
            resolve(why)
          }
        }),
      leave: () => {
        if (this.members.get(workflowId) === member) this.members.delete(workflowId)
      },
    }
  }

  private tell(entry: SweepEntry, why: Wake): void {
    if (entry.wake) entry.wake(why)
    else if (entry.due !== 'promoted') entry.due = why
  }

  /** Rounds start a second apart, start to start, so a slow List does not stretch the cadence. */
  private schedule(): void {
    if (this.timer !== undefined || this.members.size === 0) return
    const wait = Math.max(0, (this.lastRoundAt ?? 0) + SWEEP_INTERVAL_MS - Date.now())
    this.timer = setTimeout(() => {
      void this.round()
        .catch((error: unknown) => console.warn(`The live sweep failed a round (${errorMessage(error)})`))
        .finally(() => {
          this.timer = undefined
          this.schedule()
        })
    }, wait)
    // The sweep never keeps a process alive on its own.
    this.timer.unref?.()
  }

  /**
   * Wakes the order's watcher when its visibility record changed since the sweep last saw it
   * (running executions' history length is not kept there: the record's state, change time,
   * memo keys and status are compared). A record first seen in the List of changes is news.
   */
  private seen(execution: ListedExecution, told: Set<string>, firstIsNews: boolean): void {
    const workflowId = execution.execution?.workflowId ?? ''
    const entry = this.members.get(workflowId)
    if (!entry) return
    const fields = execution.searchAttributes?.indexedFields
    const record = JSON.stringify([
      String(execution.historyLength ?? ''),
      execution.status,
      fields?.OrderState?.data,
      fields?.[ORDER_UPDATED_AT.name]?.data,
      Object.keys(execution.memo?.fields ?? {}).sort(),
      String(execution.closeTime?.seconds ?? ''),
    ])
    const previous = entry.record
    entry.record = record
    if (told.has(workflowId) || previous === record || (previous === undefined && !firstIsNews)) return
    told.add(workflowId)
    this.tell(entry, 'changed')
  }

  private async list(query: string, pageSize: number, told: Set<string>, firstIsNews: boolean): Promise<void> {
    let nextPageToken: Uint8Array | undefined
    do {
      this.lists++
      const page = await this.client.connection.withDeadline(Date.now() + READ_DEADLINE_MS, () =>
        this.client.workflowService.listWorkflowExecutions({
          namespace: this.namespace,
          query,
          pageSize,
          nextPageToken: nextPageToken ?? null,
        }),
      )
      for (const execution of page.executions ?? []) this.seen(execution, told, firstIsNews)
      nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : undefined
    } while (nextPageToken)
  }

  private async round(): Promise<void> {
    this.rounds++
    const started = Date.now()
    this.lastRoundAt = started
    // Since the last List that answered: a round that failed (the server away) loses nothing.
    const since = new Date((this.listedUntil ?? started) - CHANGED_SINCE_MARGIN_MS).toISOString()
    const told = new Set<string>()
    // What changed lately in the namespace: one List, however many orders this process sweeps.
    await this.list(`${ORDER_UPDATED_AT.name} >= "${since}" OR CloseTime >= "${since}"`, 1_000, told, true)
    this.listedUntil = started
    // Events due that no visibility record will announce (a notification in flight, a timer
    // past its time, a new order's first task): read every round until they came.
    for (const [workflowId, entry] of this.members)
      if (!told.has(workflowId) && entry.settling()) {
        told.add(workflowId)
        this.tell(entry, 'changed')
      }
    // By id, a share of the orders a round, so that each is checked every CHECK_BY_ID_ROUNDS
    // rounds: in batches of up to SWEEP_BATCH, once the share has added up to one.
    const ids = [...this.members.keys()]
    this.byIdCredit += ids.length / CHECK_BY_ID_ROUNDS
    const batchSize = Math.min(ids.length, SWEEP_BATCH)
    while (batchSize > 0 && this.byIdCredit >= batchSize) {
      this.byIdCredit -= batchSize
      if (this.cursor >= ids.length) this.cursor = 0
      const batch = ids.slice(this.cursor, this.cursor + batchSize)
      this.cursor += batch.length
      const query = `WorkflowId IN (${batch.map((id) => `'${id.replace(/['\\]/g, '')}'`).join(', ')})`
      // One more than asked for: a full page would come with a token for an empty one.
      await this.list(query, batch.length + 1, told, false)
    }
    // Long polls freed meanwhile go to the orders swept longest.
    const budget = longPollBudget()
    let free = budget.free
    for (const entry of this.members.values()) {
      if (free-- <= 0) break
      this.tell(entry, 'promoted')
    }
  }
}

/** The process's sweep for this namespace. */
function sweepFor(client: Client, namespace: string): VisibilitySweep {
  const byClient = (processState.__durableDeliverySweeps ??= new WeakMap<Client, Map<string, VisibilitySweep>>())
  let sweeps = byClient.get(client)
  if (!sweeps) byClient.set(client, (sweeps = new Map<string, VisibilitySweep>()))
  let sweep = sweeps.get(namespace)
  if (!sweep) {
    sweep = new VisibilitySweep(client, namespace)
    sweeps.set(namespace, sweep)
  }
  return sweep
}

/** How many orders this process sweeps now, and the sweep's List calls so far (tests, diagnostics). */
export function sweepStats(client: Client, namespace: string): { swept: number; rounds: number; lists: number } {
  const sweep = processState.__durableDeliverySweeps?.get(client)?.get(namespace)
  return { swept: sweep?.size ?? 0, rounds: sweep?.rounds ?? 0, lists: sweep?.lists ?? 0 }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => (clearTimeout(timer), signal.removeEventListener('abort', done), resolve())
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

/**
 * Runs `call` with a signal of its own that `stopping` aborts. The SDK leaves its listener on the
 * signal it is given, so a watcher that handed every long poll its one long-lived signal gathered
 * a listener per poll (Node's MaxListenersExceededWarning); this one is dropped with the call.
 */
async function whileNotStopped<R>(stopping: AbortSignal, call: (signal: AbortSignal) => Promise<R>): Promise<R> {
  const own = new AbortController()
  const abort = () => own.abort()
  stopping.addEventListener('abort', abort, { once: true })
  try {
    return await call(own.signal)
  } finally {
    stopping.removeEventListener('abort', abort)
  }
}

// On globalThis so that Next's dev server, which re-evaluates modules on edits, keeps one
// registry per process (as the Temporal Client does).
const watchers: Map<string, WorkflowWatcher<unknown>> = ((
  globalThis as { __durableDeliveryWatchers?: Map<string, WorkflowWatcher<unknown>> }
).__durableDeliveryWatchers ??= new Map<string, WorkflowWatcher<unknown>>())

/** What one watcher did so far: values worked out from the history (no Query), and joins of the sweep. */
export function watcherStats(namespace: string, workflowId: string): { projected: number; swepts: number } | undefined {
  const watcher = watchers.get(`${namespace}/${workflowId}`)
  return watcher && { projected: watcher.projected, swepts: watcher.swepts }
}

/** How many workflows this process is watching right now (tests, diagnostics). */
export function activeWatcherCount(): number {
  return watchers.size
}

/**
 * Subscribes to a workflow's value: yields the current value at once (unless the subscriber
 * already saw it, by `lastEventId`), then every change, and returns when the workflow closes or
 * `signal` aborts. Subscribers of the same workflow share one watcher.
 */
export async function* watchWorkflow<T>(options: WatchOptions<T>): AsyncGenerator<WatchedValue<T>, void, undefined> {
  const key = `${options.namespace}/${options.workflowId}`
  let watcher = watchers.get(key) as WorkflowWatcher<T> | undefined
  const isNew = watcher === undefined
  if (!watcher) {
    const created: WorkflowWatcher<T> = new WorkflowWatcher<T>(options, () => {
      if (watchers.get(key) === created) watchers.delete(key)
    })
    watcher = created
    watchers.set(key, created as WorkflowWatcher<unknown>)
  }

  // Values waiting for this subscriber: only the newest matters (each is a whole snapshot), so a
  // slow consumer never makes the queue grow.
  let pending: WatchEvent<T> | undefined
  let wake: (() => void) | undefined
  const subscriber: Subscriber<T> = (event) => {
    if (pending?.kind === 'end' || pending?.kind === 'error') return
    pending = event
    wake?.()
  }
  const onAbort = () => subscriber({ kind: 'end' })
  options.signal?.addEventListener('abort', onAbort, { once: true })
  watcher.subscribers.add(subscriber)
  if (isNew) watcher.start()
  else if (watcher.current && watcher.current.id !== options.lastEventId)
    subscriber({ kind: 'value', value: watcher.current })

  try {
    while (true) {
      if (options.signal?.aborted) return
      if (!pending) await new Promise<void>((resolve) => (wake = resolve))
      const event = pending
      pending = undefined
      if (!event || event.kind === 'end') return
      if (event.kind === 'error') throw event.error
      // A resumed subscriber that already has this value is not sent it again.
      if (event.value.id === options.lastEventId) continue
      yield event.value
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    watcher.subscribers.delete(subscriber)
    if (watcher.subscribers.size === 0) {
      watcher.stop()
      if (watchers.get(key) === watcher) watchers.delete(key)
    }
  }
}
