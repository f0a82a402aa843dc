import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Client, Connection, type WorkflowHandle } from '@temporalio/client'
import { temporal } from '@temporalio/proto'
import { Ledger } from '@durable-delivery/activities'
import { freePort, startWorkerProcess, waitFor } from '@durable-delivery/test-harness'
import { getStatusQuery, ORDER_WORKFLOW_TYPE } from '@durable-delivery/workflows/definitions'

const TASK_QUEUE = 'production-worker'
const BURRATA = 2
/** Long enough that the charge is still running when SIGTERM arrives, well under the 10 s activity timeout. */
const CHARGE_MS = 5_000

/** The Worker as Render runs it: compiled, prebuilt bundle, production logs, metrics and health on. */
describe('the production Worker', () => {
  const address = inject('temporalAddress')
  let connection: Connection
  let client: Client
  const dir = mkdtempSync(join(tmpdir(), 'production-worker-'))
  const ledgerPath = join(dir, 'ledger.sqlite')

  beforeAll(async () => {
    connection = await Connection.connect({ address })
    client = new Client({ connection })
  })

  afterAll(async () => {
    await connection?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function get(url: string): Promise<{ status: number; text: string }> {
    const response = await fetch(url)
    return { status: response.status, text: await response.text() }
  }

  /** Waits until the order's charge is running on a Worker (not merely scheduled). */
  async function chargeRunning(handle: WorkflowHandle): Promise<void> {
    await waitFor(
      'chargeCustomer to start',
      async () => {
        const { raw } = await handle.describe()
        return (raw.pendingActivities ?? []).some(
          (activity) =>
            activity.activityType?.name === 'chargeCustomer' &&
            activity.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
        )
      },
      30_000,
    )
  }

  it('serves Temporal metrics and says it polls; on SIGTERM mid-charge it lets the charge finish and exits 0', async () => {
    const [metricsPort, healthPort] = [await freePort(), await freePort()]
    const worker = await startWorkerProcess({
      address,
      taskQueue: TASK_QUEUE,
      env: {
        NODE_ENV: 'production',
        WORKER_METRICS_PORT: String(metricsPort),
        WORKER_HEALTH_PORT: String(healthPort),
        SHUTDOWN_GRACE_TIME: '20s',
        PAYMENT_LATENCY_MS: String(CHARGE_MS),
        PAYMENT_FAILURE_RATE: '0',
        NOTIFICATION_FAILURE_RATE: '0',
        LEDGER_PATH: ledgerPath,
      },
    })
    const orderId = randomUUID()
    const handle = await client.workflow.start(ORDER_WORKFLOW_TYPE, {
      taskQueue: TASK_QUEUE,
      workflowId: orderId,
      args: [BURRATA],
    })
    try {
      await chargeRunning(handle)

      // While the order runs: the health endpoint says polling, /metrics has the SDK's worker metrics.
      const health = await get(`http://127.0.0.1:${healthPort}/healthz`)
      expect(health.status).toBe(200)
      expect(JSON.parse(health.text)).toMatchObject({ polling: true, state: 'RUNNING', taskQueue: TASK_QUEUE })
      const metrics = (await get(`http://127.0.0.1:${metricsPort}/metrics`)).text
      expect(metrics).toMatch(
        new RegExp(
          `^temporal_num_pollers\\{[^}]*poller_type="activity_task"[^}]*task_queue="${TASK_QUEUE}"[^}]*\\} [1-9]`,
          'm',
        ),
      )
      expect(metrics).toMatch(/^temporal_worker_task_slots_used\{[^}]*worker_type="ActivityWorker"[^}]*\} 1$/m)
      expect(metrics).toMatch(
        /^temporal_workflow_task_execution_latency_count\{[^}]*workflow_type="order"[^}]*\} [1-9]/m,
      )

      // SIGTERM with the charge half done: the Worker stops polling (health turns 503) ...
      const exited = worker.stop('SIGTERM')
      let draining: { status: number; text: string } | undefined
      await waitFor(
        'the health endpoint to report the Worker shutting down',
        async () => {
          draining = await get(`http://127.0.0.1:${healthPort}/healthz`)
          return draining.status === 503
        },
        CHARGE_MS,
        50,
      )
      expect(JSON.parse(draining!.text)).toMatchObject({
        polling: false,
        state: expect.stringMatching(/^(STOPPING|DRAINING|DRAINED)$/),
      })

      // ... lets the running charge finish, on its first attempt, then exits 0.
      expect(await exited).toBe(0)
      const events = (await handle.fetchHistory()).events ?? []
      const started = events.find((event) => event.activityTaskStartedEventAttributes)
      const completed = events.find((event) => event.activityTaskCompletedEventAttributes)
      expect(completed, 'chargeCustomer completed before the Worker exited').toBeDefined()
      expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(1)
      const ledger = new Ledger(ledgerPath)
      try {
        expect(ledger.payments(orderId)).toEqual([expect.objectContaining({ kind: 'charge', cents: 2000 })])
      } finally {
        ledger.close()
      }

      // Production logs: one JSON object per line, the activity's own log carrying the order id.
      const lines = worker
        .output()
        .split('\n')
        .filter((line) => line.trim() !== '')
      const entries = lines.map((line) => {
        try {
          return JSON.parse(line) as { level: string; message: string; orderId?: string; time: string }
        } catch {
          throw new Error(`not a JSON log line: ${line}`)
        }
      })
      expect(entries.map((entry) => entry.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Worker ready: polling task queue "production-worker"/),
          expect.stringMatching(/^Worker stopped/),
        ]),
      )
      expect(entries).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'Charged customer', orderId }))
    } finally {
      await worker.stop('SIGKILL')
      await handle.terminate('test over').catch(() => undefined)
    }
  })

  it('logs at ERROR and counts, for operators to alert on, a refund the payment service refuses', async () => {
    const queue = `${TASK_QUEUE}-refund`
    const metricsPort = await freePort()
    const worker = await startWorkerProcess({
      address,
      taskQueue: queue,
      env: {
        NODE_ENV: 'production',
        WORKER_METRICS_PORT: String(metricsPort),
        WORKER_HEALTH_PORT: 'off',
        PAYMENT_FAILURE_RATE: '0',
        NOTIFICATION_FAILURE_RATE: '0',
        LEDGER_PATH: ledgerPath,
      },
    })
    const orderId = randomUUID()
    try {
      const handle = await client.workflow.start(ORDER_WORKFLOW_TYPE, {
        taskQueue: queue,
        workflowId: orderId,
        args: [BURRATA, { pickupWindow: 2_000 }],
      })
      const ledger = new Ledger(ledgerPath)
      try {
        await waitFor('the charge', () => ledger.payments(orderId).length === 1, 30_000)
        ledger.forgetPayments(orderId) // as a ledger lost in a deploy would: the refund is refused
      } finally {
        ledger.close()
      }
      await expect(handle.result()).rejects.toMatchObject({ cause: { type: 'RefundFailed' } })
      await waitFor(
        'the refund failure on /metrics',
        async () => {
          const metrics = (await get(`http://127.0.0.1:${metricsPort}/metrics`)).text
          return /^durable_delivery_refund_failures_total\{[^}]*taskQueue="production-worker-refund"[^}]*\} 1$/m.test(
            metrics,
          )
        },
        10_000,
      )
      // The Worker's stdout reaches us through a pipe: wait for the line rather than read at once.
      await waitFor('the refund failure in the logs', () => worker.output().includes('Refund failed'), 10_000)
      const logged = worker
        .output()
        .split('\n')
        .filter((line) => line.includes('Refund failed'))
      expect(logged.map((line) => JSON.parse(line) as { level: string; message: string })).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: 'Refund failed: an operator must refund this order by hand',
        }),
      )
    } finally {
      await worker.stop('SIGKILL')
    }
  })

  it('refuses to start, in one line naming the port, when another process serves metrics there', async () => {
    const taken = createServer().listen(0, '0.0.0.0')
    await once(taken, 'listening')
    const port = (taken.address() as AddressInfo).port
    try {
      const error = await startWorkerProcess({
        address,
        taskQueue: TASK_QUEUE,
        env: { NODE_ENV: 'production', WORKER_METRICS_PORT: String(port), WORKER_HEALTH_PORT: 'off' },
      }).then(
        () => expect.fail('the Worker should not start'),
        (caught: Error) => caught,
      )
      expect(error.message).toContain('Worker exited with code 1')
      expect(error.message).toMatch(
        new RegExp(`Cannot start the SDK runtime \\(metrics on port ${port}\\): .*Address already in use`),
      )
    } finally {
      taken.close()
    }
  })

  it('in development, moves a taken metrics or health port to a free one with a warning and still starts polling', async () => {
    const taken = [createServer().listen(0, '0.0.0.0'), createServer().listen(0, '0.0.0.0')]
    await Promise.all(taken.map((server) => once(server, 'listening')))
    const [metricsPort, healthPort] = taken.map((server) => (server.address() as AddressInfo).port)
    try {
      const worker = await startWorkerProcess({
        address,
        taskQueue: `${TASK_QUEUE}-dev`,
        env: {
          NODE_ENV: 'development',
          WORKER_METRICS_PORT: String(metricsPort),
          WORKER_HEALTH_PORT: String(healthPort),
        },
      })
      try {
        expect(worker.output()).toContain(`Port ${metricsPort} for metrics is taken by another process`)
        const moved = new RegExp(
          `Port ${healthPort} for the health endpoint is taken by another process; serving the health endpoint on port (\\d+)`,
        )
        const healthNow = Number(moved.exec(worker.output())?.[1])
        expect((await get(`http://127.0.0.1:${healthNow}/healthz`)).status).toBe(200)
      } finally {
        expect(await worker.stop()).toBe(0)
      }
    } finally {
      for (const server of taken) server.close()
    }
  })

  it('runs side by side with another Worker on its own ports; stopping one leaves the other serving orders', async () => {
    const queue = `${TASK_QUEUE}-pair`
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()])
    const env = (metrics: number, health: number) => ({
      WORKER_METRICS_PORT: String(metrics),
      WORKER_HEALTH_PORT: String(health),
      PAYMENT_FAILURE_RATE: '0',
      NOTIFICATION_FAILURE_RATE: '0',
      LEDGER_PATH: ledgerPath,
    })
    const first = await startWorkerProcess({ address, taskQueue: queue, env: env(ports[0], ports[1]) })
    const second = await startWorkerProcess({ address, taskQueue: queue, env: env(ports[2], ports[3]) })
    const orderId = randomUUID()
    try {
      expect((await get(`http://127.0.0.1:${ports[1]}/healthz`)).status).toBe(200)
      expect((await get(`http://127.0.0.1:${ports[3]}/healthz`)).status).toBe(200)
      expect(await first.stop('SIGTERM')).toBe(0)
      expect((await get(`http://127.0.0.1:${ports[3]}/healthz`)).status).toBe(200)

      const handle = await client.workflow.start(ORDER_WORKFLOW_TYPE, {
        taskQueue: queue,
        workflowId: orderId,
        args: [BURRATA],
      })
      await waitFor(
        'the remaining Worker to charge the order',
        async () => (await handle.query(getStatusQuery)).state === 'Paid',
        30_000,
      )
      await handle.terminate('test over')
    } finally {
      await first.stop('SIGKILL')
      await second.stop('SIGKILL')
    }
  })
})
