import { randomBytes, randomUUID } from 'node:crypto'
import { loadavg } from 'node:os'
import { setTimeout as delay } from 'node:timers/promises'
import { errorMessage } from '@durable-delivery/common'
import { pickUpUpdate } from '@durable-delivery/workflows/definitions'
import {
  callApi,
  startNextServer,
  waitFor,
  WaitAborted,
  type HttpApi,
  type NextServer,
} from '@durable-delivery/test-harness'
import type { BreakableStack } from '@durable-delivery/resilience/breakable-stack'
import { summarise, type LatencySummary } from '@durable-delivery/resilience/stats'
import { customerApi } from './cluster-scenario'
import { report } from './results'

/**
 * `npm run bench -- --scenario live --sites 2 --watched 5000`: the production shape of the live
 * order cards. `sites` `next start` processes of the menu's production build on the bench's dev
 * server and Worker; customers (each with the cookie the menu minted for it) place the orders
 * over HTTP, half through each site, and every card is watched as the browser watches it: one
 * SSE stream of `order.watchOrderStatus` per order, alternating the sites. Pickups at
 * `pickupsPerSecond`, each timed from just before its Update to the moment its stream says Picked
 * up. The server's own metrics count the sites' Queries, Lists and history reads.
 */

export interface LiveSitesOptions {
  sites: number
  watched: number
  longPolls: number
  pickupsPerSecond: number
  /** Customers placing the orders, each with its own cookie. */
  customers: number
  /** The dev server's `/metrics` (http://127.0.0.1:PORT/metrics). */
  metricsUrl: string
  /** `frontend.namespaceCount` given to the dev server, if any (reported, not used here). */
  namespaceCount?: number
}

export interface LiveSitesResult {
  mode: 'sites'
  sites: number
  watched: number
  longPolls: number
  namespaceCount?: number
  pickupsPerSecond: number
  /** createOrder over HTTP, before any stream was open and while every card was watched. */
  createOrderIdle: LatencySummary
  createOrderWatched: LatencySummary
  /** From opening the streams to every card showing Paid. */
  allPaidMs: number
  /** From just before the pickUp Update to the card's stream saying Picked up. */
  pickupSeen: LatencySummary & { p95: number }
  missed: number
  /** pickUp Updates that failed. */
  pickupsFailed: number
  /** Streams that failed (not 200, a network error, an error event) or ended before the bench ended them. */
  streamErrors: number
  streamsEndedEarly: number
  /** The server's requests by operation during the pickups, and over the whole run. */
  duringPickups: Record<string, number>
  wholeRun: Record<string, number>
  /** Long polls the server refused (its ResourceExhausted ConcurrentLimit count, and the sites' log lines). */
  refusedLongPolls: { serverErrors: number; duringPickups: number; siteLogLines: number }
  /** 1-minute load average: sampled every 5 s during the pickups (max, mean), and at the end. */
  loadAverage: { max: number; mean: number; end: number }
}

/** A card that has not seen its pickup this long after the last Update counts as missed. */
const SEEN_WITHIN_MS = 15_000
const PLACE_CONCURRENCY = 16
/** Streams opened but not yet showing their first value, at most: the sites' first reads queue up otherwise. */
const OPENING_CONCURRENCY = 64
/** Orders placed, one after another, for each createOrder figure. */
const TIMED_ORDERS = 50
/**
 * The operations counted from the server's metrics: those the sites' cards make, and the pickups.
 * The frontend counts a history read with waitNewEvent (a long poll) as PollWorkflowExecutionHistory.
 */
const OPERATIONS = [
  'QueryWorkflow',
  'ListWorkflowExecutions',
  'GetWorkflowExecutionHistory',
  'PollWorkflowExecutionHistory',
  'DescribeWorkflowExecution',
  'StartWorkflowExecution',
  'UpdateWorkflowExecution',
]

export async function liveSitesScenario(stack: BreakableStack, options: LiveSitesOptions): Promise<LiveSitesResult> {
  const sites: NextServer[] = []
  const streams: CardStream[] = []
  try {
    // One secret for every process: a cookie minted by one site is honoured by the other, as
    // behind a load balancer.
    const siteEnv = {
      TEMPORAL_ADDRESS: stack.address,
      TEMPORAL_NAMESPACE: 'default',
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      // A few customers place thousands of orders.
      RATE_LIMITS: 'off',
      LIVE_LONG_POLLS: String(options.longPolls),
      // No order may close before its pickup is seen, however long placing 5,000 of them takes.
      ORDER_PICKUP_WINDOW: '120m',
      ORDER_DELIVERY_WINDOW: '120m',
    }
    for (let index = 0; index < options.sites; index++) sites.push(await startNextServer('menu', siteEnv))
    const customers: HttpApi[] = []
    for (let index = 0; index < options.customers; index++)
      customers.push(await customerApi(sites[index % sites.length]!.url))
    /** Customer `index`'s API on site `site`: the same cookie jar on every site. */
    const apiOf = (customer: number, site: number): HttpApi => ({
      ...customers[customer % customers.length]!,
      url: `${sites[site % sites.length]!.url}/api`,
    })
    const place = async (index: number, orderId: string) => {
      const answer = await callApi(apiOf(index, index), 'order.createOrder', {
        method: 'POST',
        input: { orderId, productId: 2 },
      })
      if (answer.status !== 200) throw new Error(`createOrder ${orderId}: ${answer.status} ${answer.message}`)
    }
    const counts = () => serverCounts(options.metricsUrl)
    const startCounts = await counts()

    const orderIds = Array.from({ length: options.watched }, () => randomUUID())
    const placeStarted = Date.now()
    let next = 0
    const lane = async () => {
      for (let index: number; (index = next++) < orderIds.length;) await place(index, orderIds[index]!)
    }
    await Promise.all(Array.from({ length: PLACE_CONCURRENCY }, lane))
    console.log(`  placed ${options.watched} orders in ${Math.round((Date.now() - placeStarted) / 1000)} s`)

    // Nobody watching yet; as many orders open as while watched, and all of them settled (Paid),
    // so that the server is no busier than while they are watched: timed right after placing,
    // createOrder met the tail of the placements' own work (573 ms p50 at 5,000, 2026-12-07).
    await waitFor(
      `the ${options.watched} orders to be Paid`,
      async () => (await stack.client.workflow.count(`OrderState = "Paid"`)).count >= options.watched,
      600_000,
      1_000,
    )
    const createOrderIdle = await timedOrders(stack, place)

    const opened = Date.now()
    // At most OPENING_CONCURRENCY streams wait for their first value at once (a page load each):
    // each lane opens its next stream once its previous one showed a value (or failed).
    let nextCard = 0
    const opener = async () => {
      for (let index: number; (index = nextCard++) < orderIds.length;) {
        const stream = watchCard(apiOf(index, index), orderIds[index]!)
        streams.push(stream)
        await stream.firstValue
      }
    }
    await Promise.all(Array.from({ length: OPENING_CONCURRENCY }, opener))
    await waitFor(
      `every card to show Paid`,
      () => {
        const failed = streams.filter((stream) => stream.failure !== undefined || stream.endedEarly)
        if (failed.length > 0)
          throw new WaitAborted(`${failed.length} streams failed or ended, e.g. ${failed[0]!.failure ?? 'ended'}`)
        return streams.every((stream) => stream.state === 'Paid')
      },
      120_000 + options.watched * 50,
      200,
    )
    const allPaidMs = Date.now() - opened
    console.log(`  ${options.watched} cards showed Paid ${Math.round(allPaidMs / 1000)} s after the streams opened`)

    const createOrderWatched = await timedOrders(stack, place)

    const beforePickups = await counts()
    const loads: number[] = []
    const sampler = setInterval(() => loads.push(loadavg()[0]!), 5_000)
    const sentAt = new Map<string, number>()
    /** Resolves false when the Update failed; handled at once, so a failure during the loop is not unhandled. */
    const pickups: Promise<boolean>[] = []
    const started = Date.now()
    for (const [index, orderId] of orderIds.entries()) {
      const due = started + (index * 1000) / options.pickupsPerSecond
      if (due > Date.now()) await delay(due - Date.now())
      sentAt.set(orderId, Date.now())
      pickups.push(
        stack.client.workflow
          .getHandle(orderId)
          .executeUpdate(pickUpUpdate, { args: [{ driverId: 'bench-driver' }] })
          .then(
            () => true,
            (error: unknown) => {
              console.warn(`  pickUp ${orderId}: ${errorMessage(error)}`)
              return false
            },
          ),
      )
    }
    const lastSent = Date.now()
    // A failed Update (a deadline on a loaded server) is counted, not fatal: it may still have
    // been applied, and its card is timed all the same; one never applied is missed.
    const pickupsFailed = (await Promise.all(pickups)).filter((ok) => !ok).length
    // Those not seen by then are the missed ones: the wait ending is expected, not an error.
    await waitFor(
      'every card to show Picked up',
      () => streams.every((stream) => stream.pickedUpAt !== undefined),
      Math.max(0, lastSent + SEEN_WITHIN_MS - Date.now()),
      100,
    ).catch(() => undefined)
    clearInterval(sampler)
    const afterPickups = await counts()
    const end = loadavg()[0]!
    const latencies = streams
      .filter((stream) => stream.pickedUpAt !== undefined && stream.pickedUpAt <= lastSent + SEEN_WITHIN_MS)
      .map((stream) => stream.pickedUpAt! - sentAt.get(stream.orderId)!)
    const summary = summarise(latencies)
    const sorted = latencies.sort((a, b) => a - b)
    const result: LiveSitesResult = {
      mode: 'sites',
      sites: options.sites,
      watched: options.watched,
      longPolls: options.longPolls,
      ...(options.namespaceCount !== undefined ? { namespaceCount: options.namespaceCount } : {}),
      pickupsPerSecond: options.pickupsPerSecond,
      createOrderIdle,
      createOrderWatched,
      allPaidMs,
      pickupSeen: { ...summary, p95: sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? NaN },
      missed: options.watched - latencies.length,
      pickupsFailed,
      streamErrors: streams.filter((stream) => stream.failure !== undefined).length,
      streamsEndedEarly: streams.filter((stream) => stream.endedEarly).length,
      duringPickups: difference(beforePickups.requests, afterPickups.requests),
      wholeRun: difference(startCounts.requests, afterPickups.requests),
      refusedLongPolls: {
        serverErrors: afterPickups.resourceExhausted - startCounts.resourceExhausted,
        duringPickups: afterPickups.resourceExhausted - beforePickups.resourceExhausted,
        siteLogLines: sites.reduce((sum, site) => sum + site.output().split('refused the long poll').length - 1, 0),
      },
      loadAverage: {
        max: round(Math.max(end, ...loads)),
        mean: round(loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : end),
        end: round(end),
      },
    }
    return result
  } catch (error) {
    // What a site said is the first thing to read when the run fails.
    for (const site of sites) console.error(site.output().slice(-3_000))
    throw error
  } finally {
    for (const stream of streams) stream.close()
    for (const site of sites) await site.stop()
  }
}

export function reportLiveSites(result: LiveSitesResult): void {
  const ms = (value: number) => `${Math.round(value)} ms`
  const during = result.duringPickups
  report(
    'live',
    `${result.watched} cards on ${result.sites} sites (${result.longPolls} long polls each), pickups at ` +
      `${result.pickupsPerSecond}/s: p50 ${ms(result.pickupSeen.p50)} / p95 ${ms(result.pickupSeen.p95)}, ` +
      `${result.missed} missed (${result.pickupsFailed} Updates failed), ${result.streamErrors} streams failed, ${result.streamsEndedEarly} ended early; ` +
      `during pickups ${during.QueryWorkflow ?? 0} Queries, ${during.ListWorkflowExecutions ?? 0} Lists, ` +
      `${during.GetWorkflowExecutionHistory ?? 0} history reads + ${during.PollWorkflowExecutionHistory ?? 0} ` +
      `long polls; refused long polls ${result.refusedLongPolls.serverErrors} ` +
      `(${result.refusedLongPolls.duringPickups} during pickups, sites logged ${result.refusedLongPolls.siteLogLines}); ` +
      `createOrder p50 ${ms(result.createOrderIdle.p50)} unwatched, ${ms(result.createOrderWatched.p50)} watched; ` +
      `load ${result.loadAverage.mean} mean / ${result.loadAverage.max} max`,
    result,
  )
}

const round = (value: number) => Math.round(value * 100) / 100

/** TIMED_ORDERS orders one after another, alternating the sites; then terminated, so that they do not linger. */
async function timedOrders(
  stack: BreakableStack,
  place: (index: number, orderId: string) => Promise<void>,
): Promise<LatencySummary> {
  const samples: number[] = []
  const ids: string[] = []
  for (let index = 0; index < TIMED_ORDERS; index++) {
    const orderId = randomUUID()
    ids.push(orderId)
    const started = performance.now()
    await place(index, orderId)
    samples.push(performance.now() - started)
  }
  for (const orderId of ids) await stack.client.workflow.getHandle(orderId).terminate('bench: timed createOrder')
  return summarise(samples)
}

interface CardStream {
  orderId: string
  /** The card's latest state, from the last data event. */
  state?: string
  pickedUpAt?: number
  /** Settles with the first value (or the stream's failure). */
  firstValue: Promise<void>
  failure?: string
  /** The stream ended (the server closed it) before the bench closed it. */
  endedEarly: boolean
  close(): void
}

/**
 * One card's stream, as httpSubscriptionLink opens it: GET `/api/<path>?input=<JSON>` with
 * `Accept: text/event-stream` and the customer's cookie. Node's fetch (undici's default Agent)
 * has no per-origin connection limit, so thousands of these stay open side by side.
 */
function watchCard(api: HttpApi, orderId: string): CardStream {
  const aborter = new AbortController()
  let closing = false
  let settleFirst!: () => void
  const stream: CardStream = {
    orderId,
    firstValue: new Promise<void>((resolve) => (settleFirst = resolve)),
    endedEarly: false,
    close: () => {
      closing = true
      aborter.abort()
    },
  }
  const fail = (why: string) => {
    stream.failure ??= why
    settleFirst()
  }
  const endedByServer = () => {
    if (!closing) stream.endedEarly = true
    settleFirst()
  }
  const url = `${api.url}/order.watchOrderStatus?input=${encodeURIComponent(JSON.stringify({ orderId }))}`
  const cookie = [...(api.cookies ?? [])].map(([name, value]) => `${name}=${value}`).join('; ')
  void (async () => {
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', cookie, origin: new URL(url).origin },
      signal: aborter.signal,
    })
    if (response.status !== 200 || !response.body) return fail(`${response.status} ${await response.text()}`)
    const decoder = new TextDecoder()
    let buffered = ''
    const reader = response.body.getReader()
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      buffered += decoder.decode(read.value, { stream: true })
      for (let end: number; (end = buffered.indexOf('\n\n')) >= 0;) {
        const message = parseSse(buffered.slice(0, end))
        buffered = buffered.slice(end + 2)
        if (message.event === 'serialized-error') return fail(`error event: ${message.data}`)
        // The server's own end of the subscription (the order closed): nothing more will come.
        if (message.event === 'return') return endedByServer()
        // connected, ping: no value. A value is a data line without an event name.
        if (message.event !== undefined || message.data === undefined) continue
        const view = JSON.parse(message.data) as { state?: string }
        stream.state = view.state
        if (view.state === 'Picked up') stream.pickedUpAt ??= Date.now()
        settleFirst()
      }
    }
    endedByServer()
  })().catch((error: unknown) => {
    if (!closing) fail(errorMessage(error))
  })
  return stream
}

function parseSse(block: string): { event?: string; data?: string } {
  const message: { event?: string; data?: string } = {}
  for (const line of block.split('\n')) {
    const at = line.indexOf(':')
    if (at <= 0) continue
    const field = line.slice(0, at)
    const value = line.slice(at + 1).replace(/^ /, '')
    if (field === 'event') message.event = value
    else if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`
  }
  return message
}

/** The server's requests by operation (OPERATIONS) and its ResourceExhausted answers, so far. */
async function serverCounts(
  metricsUrl: string,
): Promise<{ requests: Record<string, number>; resourceExhausted: number }> {
  const text = await (await fetch(metricsUrl)).text()
  const requests: Record<string, number> = {}
  let resourceExhausted = 0
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{([^}]*)\} ([\d.e+-]+)$/.exec(line)
    if (!match) continue
    const [, name, labels, value] = match as unknown as [string, string, string, string]
    // The dev server runs every service in one process: only the frontend's count is the clients' calls
    // (the history service counts its own half of a start, a describe, an Update again).
    if (!labels.includes('service_name="frontend"')) continue
    const operation = /operation="(\w+)"/.exec(labels)?.[1]
    if (name === 'service_requests' && operation && OPERATIONS.includes(operation))
      requests[operation] = (requests[operation] ?? 0) + Number(value)
    if (name === 'service_errors_resource_exhausted' && operation === 'PollWorkflowExecutionHistory')
      resourceExhausted += Number(value)
  }
  // Names differ between server versions: counting nothing must not read as "no calls".
  if (!text.includes('service_requests{')) throw new Error(`no service_requests at ${metricsUrl}`)
  return { requests, resourceExhausted }
}

function difference(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    OPERATIONS.map((operation) => [operation, (after[operation] ?? 0) - (before[operation] ?? 0)]),
  )
}
