#!/usr/bin/env node
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { DEFAULTS } from '@durable-delivery/common/config'
import { freePort } from '@durable-delivery/test-harness'
import type { BreakableStack, BreakableStackOptions } from '@durable-delivery/resilience/breakable-stack'
import { writeCharts } from './charts'
import { weightScenario } from './weight-scenario'

/**
 * `npm run bench -- --scenario list|place|throughput|memory|weight|cost|live|all`: benchmarks, not tests.
 * Each scenario starts its own Temporal dev server (SQLite on disk) and production Worker on free
 * ports (failure rates 0: retries are not the subject), prints one line and writes its figures to
 * tests/bench/results/<scenario>.json; list and throughput redraw the charts in docs/. Sizes are
 * options; the defaults finish in a few minutes on a 2-core machine (see docs/benchmarks.md).
 * `--server postgres` runs the throughput scenario on the whole production shape instead (two
 * Workers, both sites over HTTP), on the dev server and then on a Temporal Server built from
 * source on PostgreSQL (cluster-scenario.ts); it needs Go and PostgreSQL, and CI never runs it.
 * `--scenario live --sites N` watches the cards over HTTP through N menu processes instead of the
 * in-process API (live-sites-scenario.ts).
 */
const list = z
  .string()
  .transform((value) => value.split(',').map(Number))
  .pipe(z.array(z.number().positive()).min(1))

const Options = z.object({
  scenario: z.enum(['list', 'place', 'throughput', 'memory', 'weight', 'cost', 'live', 'all']),
  open: list.pipe(z.array(z.number().int().max(100_000))),
  samples: z.coerce.number().int().min(3).max(1_000),
  browserSamples: z.coerce.number().int().min(1).max(100),
  rates: list,
  seconds: z.coerce.number().min(1).max(600),
  pollMs: z.coerce.number().int().min(10),
  ratingDelayMs: z.coerce.number().int().min(1),
  memoryOpen: list.pipe(z.array(z.number().int().max(100_000))),
  cache: z.string().regex(/^\d+$/).optional(),
  server: z.enum(['dev', 'postgres']),
  watched: z.coerce.number().int().min(1).max(20_000),
  longPolls: z.coerce.number().int().min(0),
  sites: z.coerce.number().int().min(1).max(8).optional(),
  customers: z.coerce.number().int().min(1).max(1_000),
  namespaceCount: z.coerce.number().int().min(1).optional(),
  ways: z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(z.enum(['before', 'after'])).min(1)),
})
type Options = z.infer<typeof Options>

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      open: { type: 'string', default: '100,1000' },
      samples: { type: 'string', default: '50' },
      'browser-samples': { type: 'string', default: '10' },
      // Defaults by --server: the cluster run is heavier, so fewer, longer levels (see below).
      rates: { type: 'string' },
      seconds: { type: 'string' },
      'poll-ms': { type: 'string', default: '250' },
      'rating-delay-ms': { type: 'string', default: '1000' },
      'memory-open': { type: 'string', default: '250,500,1000' },
      cache: { type: 'string' },
      server: { type: 'string', default: 'dev' },
      watched: { type: 'string', default: '1000' },
      'long-polls': { type: 'string', default: '200' },
      // live over HTTP: this many menu processes (`next start`), instead of the API in-process.
      sites: { type: 'string' },
      customers: { type: 'string', default: '50' },
      'namespace-count': { type: 'string' },
      ways: { type: 'string', default: 'before,after' },
    },
  })
  const cluster = values.server === 'postgres'
  // The cluster is the throughput scenario's other server: it has no other scenario.
  if (cluster && values.scenario !== undefined && values.scenario !== 'throughput') {
    console.error('--server postgres: only --scenario throughput runs on the cluster')
    process.exit(2)
  }
  const parsed = Options.safeParse({
    scenario: values.scenario ?? (cluster ? 'throughput' : 'all'),
    open: values.open,
    samples: values.samples,
    browserSamples: values['browser-samples'],
    rates: values.rates ?? (cluster ? '4,8' : '2,4,8,16'),
    seconds: values.seconds ?? (cluster ? '60' : '15'),
    pollMs: values['poll-ms'],
    ratingDelayMs: values['rating-delay-ms'],
    memoryOpen: values['memory-open'],
    cache: values.cache,
    server: values.server,
    watched: values.watched,
    longPolls: values['long-polls'],
    sites: values.sites,
    customers: values.customers,
    namespaceCount: values['namespace-count'],
    ways: values.ways,
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    console.error(`--${String(issue.path[0])}: ${issue.message}`)
    process.exit(2)
  }
  return parsed.data
}

/** A fresh server and one production Worker for one scenario, removed afterwards whatever happens. */
async function withStack<T>(
  options: Options,
  workerEnv: Record<string, string>,
  run: (stack: BreakableStack) => Promise<T>,
  server?: BreakableStackOptions['server'],
): Promise<T> {
  // Loaded when a scenario needs it: the cluster run reaches the API only over HTTP, through the sites.
  const { startBreakableStack } = await import('@durable-delivery/resilience/breakable-stack')
  const dir = mkdtempSync(join(tmpdir(), 'bench-'))
  const stack = await startBreakableStack({
    dir,
    failureRate: 0,
    // Nobody rates: the rating window closes 1 ms after the prompt, so the figures still measure the
    // story up to the prompt (plus that timer's task), as before the window existed.
    orderWaits: {
      pickupWindow: 120_000,
      deliveryWindow: 120_000,
      ratingDelay: options.ratingDelayMs,
      ratingWindow: 1,
    },
    workerEnv: { ...workerEnv, ...(options.cache ? { WORKER_MAX_CACHED_WORKFLOWS: options.cache } : {}) },
    ...(server ? { server } : {}),
  })
  try {
    await stack.startWorker()
    return await run(stack)
  } finally {
    await stack.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const options = readOptions()
  const wants = (scenario: Options['scenario']) => options.scenario === scenario || options.scenario === 'all'
  if (wants('weight')) weightScenario()
  if (wants('list')) {
    const { listScenario } = await import('./list-scenario')
    await withStack(options, {}, (stack) => listScenario(stack, options.open, options.samples))
  }
  if (wants('place')) {
    const { placeScenario } = await import('./place-scenario')
    await withStack(options, {}, (stack) => placeScenario(stack, options.samples, options.browserSamples))
  }
  if (wants('throughput') && options.server === 'postgres') {
    const { clusterScenario } = await import('./cluster-scenario')
    await clusterScenario({
      rates: options.rates,
      seconds: options.seconds,
      pollMs: options.pollMs,
      ratingDelayMs: options.ratingDelayMs,
    })
  } else if (wants('throughput')) {
    const { throughputScenario } = await import('./throughput-scenario')
    await withStack(options, {}, (stack) =>
      throughputScenario(stack, {
        rates: options.rates,
        seconds: options.seconds,
        pollMs: options.pollMs,
        ratingDelayMs: options.ratingDelayMs,
      }),
    )
  }
  if (wants('memory')) {
    const { memoryScenario } = await import('./memory-scenario')
    const metricsPort = await freePort()
    await withStack(options, { WORKER_METRICS_PORT: String(metricsPort) }, (stack) =>
      memoryScenario(
        stack,
        options.memoryOpen,
        metricsPort,
        options.cache ?? `${DEFAULTS.maxCachedWorkflows} (the default)`,
      ),
    )
  }
  // Its own order windows (it rates), through its own counted connection to the stack's server.
  // The simulated restaurant answers at once and never fails: a retried send would be billed.
  if (wants('cost')) {
    const { costScenario } = await import('./cost-scenario')
    await withStack(
      options,
      { RESTAURANT_FAILURE_RATE: '0', RESTAURANT_ACCEPT_MS: '100', RESTAURANT_PREP_MS_PER_ITEM: '100' },
      (stack) => costScenario(stack),
    )
  }
  // Cards watched at once over HTTP by `--sites` menu processes: the production shape. The
  // server's metrics count the sites' calls to it.
  if (wants('live') && options.sites !== undefined) {
    const { liveSitesScenario, reportLiveSites } = await import('./live-sites-scenario')
    const metricsPort = await freePort()
    const server = {
      metricsPort,
      ...(options.namespaceCount ? { dynamicConfig: { 'frontend.namespaceCount': options.namespaceCount } } : {}),
    }
    const result = await withStack(
      options,
      {},
      (stack) =>
        liveSitesScenario(stack, {
          sites: options.sites!,
          watched: options.watched,
          longPolls: options.longPolls,
          pickupsPerSecond: 10,
          customers: options.customers,
          metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
          ...(options.namespaceCount ? { namespaceCount: options.namespaceCount } : {}),
        }),
      server,
    )
    reportLiveSites(result)
  } else if (wants('live')) {
    // Cards watched at once, before and after the status projection and the long-poll budget.
    const { liveScenario, reportLive } = await import('./live-scenario')
    const results = []
    for (const way of options.ways)
      results.push(
        await withStack(options, {}, (stack) => liveScenario(stack, way, options.watched, options.longPolls, 10)),
      )
    reportLive(results)
  }
  for (const path of writeCharts()) console.log(`chart: ${path}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
