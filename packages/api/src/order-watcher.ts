import { isGrpcDeadlineError, type Client } from '@temporalio/client'
// The default export: named imports of this CommonJS module fail under Node's ESM loader (tsx, the benches).
import proto from '@temporalio/proto'
import { errorMessage } from '@durable-delivery/common'

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
}

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
  ) {}

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

  private async readAndPublish(lastHistoryEventId: number): Promise<T> {
    const value = await this.readWithRetries()
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

  private async run(): Promise<void> {
    const { client, namespace, workflowId } = this.options
    let nextPageToken: Uint8Array | undefined
    let lastEventId = 0
    let mustRead = true
    let degraded = false
    let closed = false
    while (!this.stopped) {
      let failed = false
      try {
        // The first call returns the history so far; later calls wait for events past the token.
        const wait = degraded ? DEGRADED_RETRY_MS : LONG_POLL_MS
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
        for (const event of page.history?.events ?? []) {
          lastEventId = Math.max(lastEventId, Number(event.eventId ?? 0))
          if (event.eventType === WORKFLOW_TASK_COMPLETED) mustRead = true
        }
        nextPageToken = page.nextPageToken ?? undefined
        // No token: the history is complete, the workflow has closed.
        if (!nextPageToken || nextPageToken.length === 0) closed = mustRead = true
      } catch (error) {
        if (this.stopped) return
        if (isGrpcDeadlineError(error)) {
          // An ordinary end of a long poll; while degraded, the moment to ask the Worker again.
          mustRead ||= degraded
        } else {
          failed = true
          console.warn(`Watching ${workflowId}: history long poll failed (${errorMessage(error)}), reading again`)
          mustRead = true
        }
      }
      if (this.stopped) return
      if (mustRead) {
        // A failed read ends the watch: subscribers get the error (SERVICE_UNAVAILABLE, NOT_FOUND)
        // and the browser decides whether to reconnect.
        const value = await this.readAndPublish(lastEventId)
        degraded = this.options.isDegraded?.(value) ?? false
        mustRead = false
      }
      if (closed) return
      if (failed) await delay(ERROR_BACKOFF_MS, this.stopping.signal)
    }
  }
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
