#!/usr/bin/env node
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { driveOrder } from './driver'
import { planDeliveries, type PlannedOrder } from './order-plan'
import { startBreakableStack } from './breakable-stack'
import { formatLatency, summarise, timed } from './stats'
import { awaitClosed, verifyOrders } from './verify'

/**
 * `npm run bench:load -- --orders 500 --concurrency 20`: a load run, not a test. It starts its
 * own Temporal dev server (SQLite on disk) and real Worker processes, then `concurrency`
 * customer-and-driver pairs each place an order through the menu API (`order.createOrder`),
 * drive it through pickup and delivery with the driver API, and start on the next, until
 * `orders` are placed; meanwhile a driver dashboard polls `driverList.listSection` (ready for pickup). Options:
 * --orders, --concurrency, --workers, --failure-rate (default 0.7, the seed's), --poll-ms (how
 * often a driver looks at its order), --dashboard-ms (how often the dashboard lists). It prints
 * throughput, createOrder and driver-list latencies, and the ledger check, and exits 1 if any
 * order was lost or the money is wrong.
 */
const Options = z.object({
  orders: z.coerce.number().int().min(1).max(100_000),
  concurrency: z.coerce.number().int().min(1).max(1_000),
  workers: z.coerce.number().int().min(1).max(8),
  failureRate: z.coerce.number().min(0).max(1),
  dashboardMs: z.coerce.number().int().min(50),
  pollMs: z.coerce.number().int().min(50),
})

function readOptions() {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '20' },
      workers: { type: 'string', default: '1' },
      'failure-rate': { type: 'string', default: '0.7' },
      'dashboard-ms': { type: 'string', default: '500' },
      'poll-ms': { type: 'string', default: '1000' },
    },
  })
  const parsed = Options.safeParse({
    orders: values.orders,
    concurrency: values.concurrency,
    workers: values.workers,
    failureRate: values['failure-rate'],
    dashboardMs: values['dashboard-ms'],
    pollMs: values['poll-ms'],
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    console.error(`--${String(issue.path[0])}: ${issue.message}`)
    process.exit(2)
  }
  return parsed.data
}

async function run(): Promise<void> {
  const options = readOptions()
  // Every driver delivers: the pickup and delivery windows only need to outlast slow retries.
  // Nobody rates: the rating window closes a second after the prompt, and the order completes.
  const orderWaits = { pickupWindow: 120_000, deliveryWindow: 120_000, ratingDelay: 1_000, ratingWindow: 1_000 }
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'))
  console.log(
    `Load: ${options.orders} orders, ${options.concurrency} at a time, ${options.workers} Worker(s), ` +
      `payment and notification failure rate ${options.failureRate}, drivers look every ~${options.pollMs} ms`,
  )
  const stack = await startBreakableStack({ dir, failureRate: options.failureRate, orderWaits })
  try {
    for (let index = 0; index < options.workers; index++) await stack.startWorker()
    const orders = planDeliveries(options.orders)
    const createMs: number[] = []
    const listMs: number[] = []
    const deliveredMs: number[] = []
    let createFailures = 0
    let listFailures = 0

    const started = performance.now()
    const deadline = Date.now() + 60 * 60_000
    let next = 0
    const lane = async () => {
      for (let order: PlannedOrder | undefined; (order = orders[next++]);) {
        const placedAt = performance.now()
        await timed(createMs, () =>
          stack.api.order.createOrder({ orderId: order.orderId, productId: order.productId }),
        ).catch(() => (createFailures += 1))
        const outcome = await driveOrder(stack.api, order, { deadline, pollMs: options.pollMs })
        if (outcome.delivered) deliveredMs.push(performance.now() - placedAt)
      }
    }
    let placing = true
    const dashboard = (async () => {
      while (placing) {
        await timed(listMs, () => stack.api.driverList.listSection({ section: 'ready' })).catch(
          () => (listFailures += 1),
        )
        await delay(options.dashboardMs)
      }
    })()
    // A line every 15 s, so a long run shows it is moving.
    const progress = setInterval(() => {
      const seconds = ((performance.now() - started) / 1000).toFixed(0)
      console.log(`  t=${seconds}s placed ${Math.min(next, orders.length)}, delivered ${deliveredMs.length}`)
    }, 15_000)
    await Promise.all(Array.from({ length: options.concurrency }, lane)).finally(() => clearInterval(progress))
    placing = false
    await dashboard
    const drivenSeconds = (performance.now() - started) / 1000
    await awaitClosed(stack.client, orders, 10 * 60_000)
    const closedSeconds = (performance.now() - started) / 1000
    const verdict = await verifyOrders(stack.api, stack.client, stack.ledgerPath, orders)

    const perSecond = (count: number, seconds: number) => (count / seconds).toFixed(1)
    console.log(
      `Placed and delivered: ${deliveredMs.length}/${orders.length} in ${drivenSeconds.toFixed(1)} s (${perSecond(deliveredMs.length, drivenSeconds)} orders/s)`,
    )
    console.log(
      `All workflows closed: ${closedSeconds.toFixed(1)} s (${perSecond(orders.length, closedSeconds)} orders/s end to end)`,
    )
    console.log(`createOrder latency:  ${formatLatency(summarise(createMs))}, ${createFailures} failed`)
    console.log(
      `list latency:         ${formatLatency(summarise(listMs))}, ${listFailures} failed (first page of ready for pickup)`,
    )
    console.log(`Order placed → delivered: ${formatLatency(summarise(deliveredMs))}`)
    console.log(
      `Orders lost: ${verdict.lost.length}. Ledger: ${verdict.ledger.ok ? 'ok' : 'WRONG'}, ${verdict.ledger.charged} charged, ` +
        `${verdict.ledger.refunded} refunded, ${verdict.ledger.doubleCharges} double charges, ${verdict.ledger.doubleRefunds} double refunds`,
    )
    for (const lost of verdict.lost.slice(0, 10))
      console.log(`  LOST ${lost.orderId}: expected ${lost.expected}, got ${lost.got}`)
    for (const problem of verdict.ledger.problems.slice(0, 10)) console.log(`  LEDGER ${problem}`)
    if (verdict.lost.length > 0 || !verdict.ledger.ok || stack.unexpectedExits.length > 0) process.exitCode = 1
  } finally {
    await stack.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

run().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
