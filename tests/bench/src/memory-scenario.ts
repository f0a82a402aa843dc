import { setTimeout as delay } from 'node:timers/promises'
import type { BreakableStack } from '@durable-delivery/resilience/breakable-stack'
import { openOrders } from './open-orders'
import { round, rssBytes } from './process-usage'
import { report } from './results'

export interface MemoryStep {
  openOrders: number
  /** Workflows in the Worker's sticky cache, from its own metrics. */
  cached: number
  rssMiB: number
}

export interface MemoryResult {
  /** WORKER_MAX_CACHED_WORKFLOWS as the Worker was started. */
  cacheSetting: string
  steps: MemoryStep[]
}

/** Worker RSS as open orders accumulate: what each cached workflow costs, and what the cache setting caps. */
export async function memoryScenario(
  stack: BreakableStack,
  sizes: number[],
  metricsPort: number,
  cacheSetting: string,
): Promise<MemoryResult> {
  const worker = stack.workers[0]!
  const steps: MemoryStep[] = []
  let open = 0
  for (const size of [0, ...sizes].sort((a, b) => a - b)) {
    if (size > open) await openOrders(stack.client, size - open)
    open = size
    // Let the last tasks finish and the garbage collector catch up before reading.
    await delay(3_000)
    const step = {
      openOrders: size,
      cached: await cachedWorkflows(metricsPort),
      rssMiB: round(rssBytes(worker.process.pid!) / 2 ** 20),
    }
    steps.push(step)
    console.log(`  ${size} open: ${step.cached} cached, Worker RSS ${step.rssMiB} MiB`)
  }
  const last = steps.at(-1)!
  report(
    'memory',
    `Worker RSS ${last.rssMiB} MiB with ${last.openOrders} open orders (${last.cached} cached, cache setting ${cacheSetting})`,
    {
      cacheSetting,
      steps,
    },
  )
  return { cacheSetting, steps }
}

/** The Worker's sticky cache size, from its Prometheus endpoint. */
async function cachedWorkflows(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()
  // The gauge appears with the first cached workflow.
  const match = /^temporal_sticky_cache_size(?:\{[^}]*\})? (\d+)/m.exec(text)
  return match ? Number(match[1]) : 0
}
