import type { OrderStatusView } from '@durable-delivery/api'
import { pickUpUpdate } from '@durable-delivery/workflows/definitions'
import { SUITE_DRIVER, type BreakableStack } from '@durable-delivery/resilience/breakable-stack'
import { benchApi, countingConnection } from './counting-connection'
import { report } from './results'

/**
 * Many order cards watched at once through the API's watchOrderStatus (in this process, as one
 * site process serves them), the way the card reads now (the status from the history, at most
 * `longPolls` long polls, the rest swept) and the way it read before (a long poll per order and a
 * getStatus Query per workflow task). Pickups at `pickupsPerSecond`; each one is timed from just
 * before its Update to the moment its card's value says Picked up. The API's calls to Temporal are
 * counted on its own connection.
 */

/** A card that has not seen its pickup by then counts as missed. */
const SEEN_WITHIN_MS = 15_000
const PLACE_CONCURRENCY = 8

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

export interface LiveResult {
  way: 'before' | 'after'
  watched: number
  longPolls: number
  pickupsPerSecond: number
  p50Ms: number
  p95Ms: number
  missed: number
  /** The API's calls during the pickups, by method. */
  calls: Record<string, number>
  queriesPerPickup: number
}

/** Both ways' lines in one report (results/live.json). */
export function reportLive(results: LiveResult[]): void {
  const line = results
    .map(
      (r) =>
        `${r.way}: p50 ${r.p50Ms} ms / p95 ${r.p95Ms} ms, ${r.missed} missed, ${r.queriesPerPickup} Queries a pickup`,
    )
    .join('; ')
  report('live', `${results[0]?.watched ?? 0} cards, pickups at ${results[0]?.pickupsPerSecond ?? 0}/s: ${line}`, {
    mode: 'in-process',
    results,
  })
}

export async function liveScenario(
  stack: BreakableStack,
  way: LiveResult['way'],
  watched: number,
  longPolls: number,
  pickupsPerSecond: number,
): Promise<LiveResult> {
  const { connection, calls } = await countingConnection(stack.address)
  try {
    const api = benchApi(connection, {
      orderWaits: { pickupWindow: 600_000, deliveryWindow: 600_000 },
      liveProjection: way === 'after',
      liveLongPolls: way === 'after' ? longPolls : watched,
    })
    const orderIds: string[] = []
    for (let start = 0; start < watched; start += PLACE_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(PLACE_CONCURRENCY, watched - start) }, () => crypto.randomUUID())
      await Promise.all(batch.map((orderId) => api.order.createOrder({ orderId, productId: 2 })))
      orderIds.push(...batch)
    }
    const latest = new Map<string, OrderStatusView>()
    const seenAt = new Map<string, number>()
    const watching = orderIds.map(async (orderId) => {
      const stream = await api.order.watchOrderStatus({ orderId })
      for await (const item of stream) {
        const [, view] = item as unknown as [string, OrderStatusView]
        latest.set(orderId, view)
        if (view.state === 'Picked up' && !seenAt.has(orderId)) seenAt.set(orderId, Date.now())
      }
    })
    const deadline = Date.now() + 120_000
    while ([...latest.values()].filter((view) => view.state === 'Paid').length < watched) {
      if (Date.now() > deadline) throw new Error(`live: only ${latest.size} of ${watched} cards showed Paid`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    calls.clear()
    const sentAt = new Map<string, number>()
    const pickups: Promise<unknown>[] = []
    const started = Date.now()
    for (const [index, orderId] of orderIds.entries()) {
      const due = started + (index * 1000) / pickupsPerSecond
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()))
      sentAt.set(orderId, Date.now())
      pickups.push(
        stack.client.workflow.getHandle(orderId).executeUpdate(pickUpUpdate, { args: [{ driverId: SUITE_DRIVER }] }),
      )
    }
    await Promise.all(pickups)
    const lastSent = Date.now()
    while (seenAt.size < watched && Date.now() < lastSent + SEEN_WITHIN_MS)
      await new Promise((resolve) => setTimeout(resolve, 100))
    const latencies = orderIds
      .filter((orderId) => seenAt.has(orderId))
      .map((orderId) => seenAt.get(orderId)! - sentAt.get(orderId)!)
      .sort((a, b) => a - b)
    const result: LiveResult = {
      way,
      watched,
      longPolls: way === 'after' ? longPolls : watched,
      pickupsPerSecond,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      missed: watched - seenAt.size,
      calls: Object.fromEntries([...calls].sort()),
      queriesPerPickup: Math.round(((calls.get('QueryWorkflow') ?? 0) / watched) * 100) / 100,
    }
    const line =
      `${way}: ${watched} cards watched (${result.longPolls} long polls), pickups at ${pickupsPerSecond}/s: ` +
      `card saw it in ${result.p50Ms} ms p50 / ${result.p95Ms} ms p95, ${result.missed} missed, ` +
      `${result.queriesPerPickup} Queries a pickup; API calls ${JSON.stringify(result.calls)}`
    console.log(`  ${line}`)
    // Closed orders end their cards' streams.
    await Promise.all(orderIds.map((orderId) => stack.client.workflow.getHandle(orderId).terminate('bench')))
    await Promise.allSettled(watching)
    return result
  } finally {
    await connection.close()
  }
}
