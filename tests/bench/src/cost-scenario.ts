import { randomUUID } from 'node:crypto'
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js'
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client'
// The default export: named imports of this CommonJS module fail under Node's ESM loader (tsx, the benches).
import proto from '@temporalio/proto'
import {
  createCaller,
  createInnerContext,
  createProcessShared,
  fixedIdentity,
  NO_LIMITS,
  type OrderStatusView,
} from '@durable-delivery/api'
import type { OrderWaits } from '@durable-delivery/common'
import { billedActions, describeActions, type BilledActions } from '@durable-delivery/workflows/billed-actions'
import { SUITE_CUSTOMER, SUITE_DRIVER, type BreakableStack } from '@durable-delivery/resilience/breakable-stack'
import { round } from './process-usage'
import { report } from './results'

/**
 * What one order costs on Temporal Cloud, counted by Cloud's published rules (billed-actions.ts):
 * a one-dish order placed, paid, picked up, delivered and rated through the API as the sites do
 * it, and watched live by its card (watchOrderStatus) from placement to rating. Its history's
 * actions, plus what never reaches a history: the Queries the card's watcher sent, counted on the
 * wire by a gRPC interceptor on the API's own connection, and any rejected Update. Beside it the
 * original sample's way for the same order: its history (the seed's shape) and a getStatus Query
 * a second from its card for as long as this order took. Failure rates are 0 (the stack's), so no
 * activity is retried: the count is the order's own, not the payment service's mood.
 */

/** Temporal Cloud's published price for Actions, first tier ("Temporal Cloud pricing": $50 per million, the first 5M a month). */
const DOLLARS_PER_MILLION_ACTIONS = 50
/** Issue 19's target for the watched and rated one-dish order. */
const TARGET_ACTIONS = 20
/** The seed's card polled getStatus this often (React Query's refetchInterval of 1 s). */
const SEED_QUERY_INTERVAL_MS = 1_000
/**
 * The seed's history of the same order: the start; chargeCustomer and three sendPushNotification
 * (picked up, delivered, "rate your meal"); the pickup and delivery `condition` timers and the
 * sleep before the prompt; the pickedUp and delivered Signals. No search attributes, no Updates.
 */
const SEED_HISTORY_ACTIONS = 1 + 4 + 3 + 2

/** Short waits: a benchmark of what an order costs, not of how long it takes. Only the prompt's delay is waited out. */
const COST_WAITS: OrderWaits = {
  pickupWindow: 60_000,
  deliveryWindow: 60_000,
  ratingDelay: 500,
  ratingWindow: 60_000,
}
const DEADLINE_MS = 60_000

const WORKFLOW_TASK_COMPLETED = proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED

const SERVICE = '/temporal.api.workflowservice.v1.WorkflowService/'

/** Every WorkflowService call the API made, by method: Queries and Updates are billed, describe and history reads are not. */
function countingInterceptor(calls: Map<string, number>): Interceptor {
  return (options, nextCall) => {
    const method = options.method_definition.path.replace(SERVICE, '')
    calls.set(method, (calls.get(method) ?? 0) + 1)
    return new InterceptingCall(nextCall(options))
  }
}

export interface CostResult {
  orderId: string
  /** Placement to the rating's answer. */
  durationMs: number
  history: BilledActions
  /** getStatus Queries the API sent for the order (the card's watcher reads one per workflow task). */
  queries: number
  workflowTasks: number
  updatesSent: number
  updatesAccepted: number
  signalsSent: number
  /** Every WorkflowService call of the API, by method. */
  calls: Record<string, number>
  total: number
  seed: { history: number; queries: number; total: number }
  target: number
  dollarsPer1000: { ours: number; seed: number }
}

export async function costScenario(stack: BreakableStack): Promise<CostResult> {
  const calls = new Map<string, number>()
  const connection = await Connection.connect({
    address: stack.address,
    // The SDK's own retries stay: a retried call is counted as the server received it.
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), countingInterceptor(calls)],
  })
  try {
    const client = new Client({ connection })
    const identity = fixedIdentity({ customerId: SUITE_CUSTOMER, driverId: SUITE_DRIVER })
    const api = createCaller(
      createInnerContext({ client, orderWaits: COST_WAITS, identity, shared: createProcessShared(NO_LIMITS) }),
    )
    const orderId = randomUUID()
    const deadline = Date.now() + DEADLINE_MS
    const placedAt = performance.now()

    // The menu: place the order (start, then the waitForPayment Update), then its card watches it.
    await api.order.createOrder({ orderId, productId: 2 })
    const watched = await api.order.watchOrderStatus({ orderId })
    const states: string[] = []
    let act: () => void = () => undefined
    let prompted = false
    const watching = (async () => {
      for await (const item of watched) {
        // In process, tracked() arrives as it was yielded: [event id, the view].
        const [, data] = item as unknown as [string, OrderStatusView]
        if (states.at(-1) !== data.state) states.push(data.state)
        // The customer rates on the prompt ("Rate your meal"), as the seed's story goes; the card
        // would take a rating from delivery on, and that order costs less (no prompt, no window).
        prompted ||= data.notifications?.some(({ message }) => /rate your meal/i.test(message)) ?? false
        act()
      }
    })()
    // The driver and the customer act on what the card shows, as people do: no extra reads.
    const until = (condition: () => boolean, what: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`cost: no ${what} within ${DEADLINE_MS} ms`)),
          deadline - Date.now(),
        )
        act = () => {
          if (!condition()) return
          clearTimeout(timer)
          resolve()
        }
        act()
      })
    await until(() => states.includes('Paid'), 'Paid')
    await api.driverList.pickUp(orderId)
    await until(() => states.includes('Picked up'), 'pickup')
    await api.driverList.deliver(orderId)
    await until(() => prompted, 'rating prompt')
    await api.order.rate({ orderId, stars: 5 })
    const durationMs = performance.now() - placedAt
    // The order completes on its rating; the watcher reads once more and ends with it.
    // (Read with the stack's own client: what the bench reads is not the sites' traffic.)
    const handle = stack.client.workflow.getHandle(orderId)
    await handle.result()
    await watching

    const fetched = await handle.fetchHistory()
    const history = billedActions(fetched)
    const workflowTasks = (fetched.events ?? []).filter((event) => event.eventType === WORKFLOW_TASK_COMPLETED).length
    const count = (method: string) => calls.get(method) ?? 0
    const queries = count('QueryWorkflow')
    const updatesSent = count('UpdateWorkflowExecution')
    const updatesAccepted = history.byKind.update
    // A rejected Update never reaches the history; repeats of one Update id are not billed either,
    // so calls beyond the accepted ones are an upper bound of the rejected (none, with no failures).
    const rejected = Math.max(0, updatesSent - updatesAccepted)
    const total = history.total + queries + rejected
    const seedQueries = Math.ceil(durationMs / SEED_QUERY_INTERVAL_MS)
    const seedTotal = SEED_HISTORY_ACTIONS + seedQueries
    const dollars = (actions: number) => round((actions * 1000 * DOLLARS_PER_MILLION_ACTIONS) / 1_000_000, 2)
    const result: CostResult = {
      orderId,
      durationMs: Math.round(durationMs),
      history,
      queries,
      workflowTasks,
      updatesSent,
      updatesAccepted,
      signalsSent: count('SignalWorkflowExecution'),
      calls: Object.fromEntries([...calls].sort()),
      total,
      seed: { history: SEED_HISTORY_ACTIONS, queries: seedQueries, total: seedTotal },
      target: TARGET_ACTIONS,
      dollarsPer1000: { ours: dollars(total), seed: dollars(seedTotal) },
    }
    console.log(`  order ${orderId}: ${states.join(' → ')} in ${(durationMs / 1000).toFixed(1)} s`)
    console.log(`  history: ${history.total} = ${describeActions(history)}`)
    console.log(
      `  outside the history: ${queries} getStatus Queries (the card's watcher; ${workflowTasks} workflow tasks), ` +
        `${rejected} rejected Updates (${updatesSent} Update calls, ${updatesAccepted} accepted), ` +
        `${result.signalsSent} signals sent (in the history)`,
    )
    console.log(`  API's calls to Temporal: ${JSON.stringify(result.calls)}`)
    console.log(
      `  the seed's way: ${SEED_HISTORY_ACTIONS} in its history + ${seedQueries} Queries (one a second for ` +
        `${(durationMs / 1000).toFixed(1)} s) = ${seedTotal}; at a 30-minute order, ${SEED_HISTORY_ACTIONS + 1800}`,
    )
    report(
      'cost',
      `${history.total} history + ${queries} Queries + ${rejected} rejected Updates = ${total} actions ` +
        `(target ≤ ${TARGET_ACTIONS}), $${result.dollarsPer1000.ours.toFixed(2)} per 1,000 orders; ` +
        `the seed's way ${seedTotal} ($${result.dollarsPer1000.seed.toFixed(2)}) at $${DOLLARS_PER_MILLION_ACTIONS} per million actions`,
      result,
    )
    return result
  } finally {
    await connection.close()
  }
}
