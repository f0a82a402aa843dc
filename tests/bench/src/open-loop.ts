import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { round } from './process-usage'

/** One order's whole story, from placement to the workflow's close. */
export type Journey = (orderId: string) => Promise<void>

export interface OpenLoopRun {
  count: number
  /** Placed to closed of each journey that finished, ms. */
  latencies: number[]
  achieved: number
  inFlight: number
  failures: number
}

/** `rate` journeys a second for `seconds`, each started on the clock however many are in flight; resolves when all have ended. */
export async function openLoop(journey: Journey, rate: number, seconds: number): Promise<OpenLoopRun> {
  const count = Math.max(1, Math.round(rate * seconds))
  const latencies: number[] = []
  const closedAt: number[] = []
  const inFlightSamples: number[] = []
  let inFlight = 0
  let failures = 0
  const started = performance.now()
  const journeys: Array<Promise<void>> = []
  for (let index = 0; index < count; index++) {
    // Open loop: the next order arrives on time, however many are still in flight.
    const due = started + (index * 1000) / rate
    await delay(Math.max(0, due - performance.now()))
    inFlightSamples.push(inFlight)
    inFlight += 1
    const placedAt = performance.now()
    journeys.push(
      journey(randomUUID())
        .then(() => {
          const now = performance.now()
          latencies.push(now - placedAt)
          closedAt.push(now)
        })
        .catch((error: unknown) => {
          if (failures === 0) console.log(`  first failure at ${rate}/s: ${String(error)}`)
          failures += 1
        })
        .finally(() => (inFlight -= 1)),
    )
  }
  await Promise.all(journeys)
  const span = (Math.max(...closedAt) - Math.min(...closedAt)) / 1000
  return {
    count,
    latencies,
    achieved: round(closedAt.length > 1 ? (closedAt.length - 1) / span : 0),
    inFlight: round(inFlightSamples.reduce((a, b) => a + b, 0) / inFlightSamples.length),
    failures,
  }
}
