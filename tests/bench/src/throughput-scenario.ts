import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { Client } from '@temporalio/client'
import { startWorkerProcess } from '@durable-delivery/test-harness'
import {
  deliverUpdate,
  getStatusQuery,
  pickUpUpdate,
  waitForPaymentUpdate,
} from '@durable-delivery/workflows/definitions'
import { driveOrder } from '@durable-delivery/resilience/driver'
import type { BreakableStack } from '@durable-delivery/resilience/breakable-stack'
import { summarise, type LatencySummary } from '@durable-delivery/resilience/stats'
import { orderStartAttributes } from '@durable-delivery/common/search-attributes'
import { FLOOR_TASK_QUEUE, FLOOR_WORKFLOW_TYPE } from './floor-names'
import { round, watchCpu } from './process-usage'
import { openLoop, type Journey } from './open-loop'
import { report } from './results'

export interface ThroughputOptions {
  /** Offered loads, orders placed per second, one level each. */
  rates: number[]
  /** How long each level places orders. */
  seconds: number
  /** How often a driver looks at its order, as in the load run. */
  pollMs: number
  ratingDelayMs: number
}

export interface ThroughputLevel {
  offered: number
  orders: number
  /** Orders closed per second, first to last close: the offered rate while we keep up, the capacity once we do not. */
  achieved: number
  /** Orders placed and not yet closed, averaged while placing: the concurrency this rate produced. */
  inFlight: number
  placedToClosed: LatencySummary
  /** Orders whose journey threw (the first error is printed). */
  failed: number
  /** Share of one core each process used over the level. */
  cpu: Record<string, number>
}

export interface ThroughputResult {
  options: ThroughputOptions
  order: ThroughputLevel[]
  floor: ThroughputLevel[]
  /** Best achieved rate of ours over the floor's. */
  ratio: number
  bottleneck: string
}

/**
 * Orders end to end (place, charge, pick up, deliver, rating prompt) at rising offered rates, open
 * loop: orders arrive on a clock whatever the system's state, as customers do. Then the floor at
 * the same rates: the same Temporal shape with no-op activities, driven with bare Client calls.
 */
export async function throughputScenario(stack: BreakableStack, options: ThroughputOptions): Promise<ThroughputResult> {
  const floorWorker = await startWorkerProcess({
    address: stack.address,
    taskQueue: FLOOR_TASK_QUEUE,
    nodeArgs: ['--import', 'tsx', join(import.meta.dirname, 'floor-worker.ts')],
  })
  try {
    const pids = {
      server: stack.serverPid()!,
      worker: stack.workers[0]!.process.pid!,
      floorWorker: floorWorker.process.pid!,
      bench: process.pid,
    }
    const ours: Journey = async (orderId) => {
      const order = { orderId, productId: 2, driver: 'delivers' as const }
      await stack.api.order.createOrder(order)
      await driveOrder(stack.api, order, { deadline: Date.now() + 10 * 60_000, pollMs: options.pollMs })
      await stack.client.workflow.getHandle(orderId).result()
    }
    const floor: Journey = (orderId) => floorJourney(stack.client, orderId, options)
    const order: ThroughputLevel[] = []
    const floorLevels: ThroughputLevel[] = []
    // Ours and the floor alternate at each rate, so that both meet the same machine (it is shared).
    for (const rate of options.rates) {
      for (const [name, journey, levels] of [
        ['order', ours, order],
        ['floor', floor, floorLevels],
      ] as const) {
        const level = await runLevel(journey, rate, options.seconds, pids)
        levels.push(level)
        console.log(
          `  ${name} at ${rate}/s offered: ${level.achieved} orders/s, ${level.inFlight} in flight, ` +
            `placed to closed p50 ${Math.round(level.placedToClosed.p50)} ms, ${level.failed} failed; CPU ${JSON.stringify(level.cpu)}`,
        )
      }
    }
    const best = (levels: ThroughputLevel[]) => levels.reduce((a, b) => (b.achieved > a.achieved ? b : a))
    const ratio = round(best(order).achieved / best(floorLevels).achieved, 2)
    const bottleneck = nameBottleneck(best(order).cpu)
    const result = { options, order, floor: floorLevels, ratio, bottleneck }
    report(
      'throughput',
      `best ${best(order).achieved} orders/s (${best(order).inFlight} in flight) vs floor ${best(floorLevels).achieved}/s ` +
        `(${Math.round(ratio * 100)}% of the floor); bottleneck: ${bottleneck}`,
      result,
    )
    return result
  } finally {
    await floorWorker.stop()
  }
}

async function runLevel(
  journey: Journey,
  rate: number,
  seconds: number,
  pids: Record<string, number>,
): Promise<ThroughputLevel> {
  const cpu = watchCpu(pids)
  const run = await openLoop(journey, rate, seconds)
  const usage = cpu.stop()
  return {
    offered: rate,
    orders: run.count,
    achieved: run.achieved,
    inFlight: run.inFlight,
    placedToClosed: summarise(run.latencies),
    failed: run.failures,
    cpu: usage,
  }
}

/**
 * The floor driven the way the API and a driver drive an order, with the fewest Temporal calls:
 * the start and waitForPayment (createOrder), Queries until Paid, the pickUp Update, Queries
 * until Picked up, the deliver Update.
 */
async function floorJourney(client: Client, orderId: string, options: ThroughputOptions): Promise<void> {
  const handle = await client.workflow.start(FLOOR_WORKFLOW_TYPE, {
    workflowId: orderId,
    taskQueue: FLOOR_TASK_QUEUE,
    args: [options.ratingDelayMs],
    // As the API starts an order: the floor's first task then upserts none (order.ts' patch).
    typedSearchAttributes: orderStartAttributes(2, 'Charging card'),
  })
  await handle.executeUpdate(waitForPaymentUpdate)
  // A Query that times out on a busy Worker is tried again, as driveOrder does with the API's errors.
  const waitFor = async (state: string) => {
    for (;;) {
      const status = await handle.query(getStatusQuery).catch(() => undefined)
      if (status?.state === state) return
      await delay(options.pollMs / 2 + Math.random() * options.pollMs)
    }
  }
  await waitFor('Paid')
  await handle.executeUpdate(pickUpUpdate, { args: [{ driverId: 'floor' }] })
  await waitFor('Picked up')
  await handle.executeUpdate(deliverUpdate, { args: [{ driverId: 'floor' }] })
  await handle.result()
}

/** The process that used the most CPU, and whether it was saturated (2 cores are shared by all of them). */
function nameBottleneck(cpu: Record<string, number>): string {
  const [name, share] = Object.entries(cpu).reduce((a, b) => (b[1] > a[1] ? b : a))
  const names: Record<string, string> = {
    server: 'the Temporal dev server (SQLite persistence and visibility)',
    worker: 'the order Worker',
    floorWorker: 'the floor Worker',
    bench: 'the load generator with the in-process tRPC API',
  }
  const all = Object.entries(cpu)
    .map(([other, used]) => `${other} ${Math.round(used * 100)}%`)
    .join(', ')
  return `${names[name] ?? name} at ${Math.round(share * 100)}% of a core (${all}; ${availableParallelism()} cores)`
}
