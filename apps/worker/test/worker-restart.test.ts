import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Client, Connection, type WorkflowHandle } from '@temporalio/client'
import type { OrderState } from '@durable-delivery/common'
import { Ledger } from '@durable-delivery/activities'
import {
  getStatusQuery,
  ORDER_WORKFLOW_TYPE,
  pickedUpSignal,
  deliveredSignal,
} from '@durable-delivery/workflows/definitions'
import { waitFor } from '@durable-delivery/toolchain'
import { startWorkerProcess, type WorkerProcess } from '@durable-delivery/test-harness'

/**
 * Durable execution end to end on the suite's real dev server: an order outlives the Worker process that
 * started it, and a finished order still answers queries from a Worker that never ran it.
 */
let client: Client
let dir: string
const workers: WorkerProcess[] = []

beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) })
  dir = mkdtempSync(join(tmpdir(), 'worker-restart-'))
})
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop('SIGKILL')))
  await client?.connection.close()
  rmSync(dir, { recursive: true, force: true })
})

async function startWorker(): Promise<WorkerProcess> {
  const worker = await startWorkerProcess({
    address: inject('temporalAddress'),
    env: { PAYMENT_FAILURE_RATE: '0', NOTIFICATION_FAILURE_RATE: '0', LEDGER_PATH: join(dir, 'ledger.sqlite') },
  })
  workers.push(worker)
  return worker
}

async function waitForState(handle: WorkflowHandle, state: OrderState): Promise<void> {
  await waitFor(
    `order ${handle.workflowId} to be ${state}`,
    async () => (await handle.query(getStatusQuery)).state === state,
  )
}

describe('an order on a real Temporal dev server', () => {
  it('survives a Worker restart while it waits for pickup, then answers queries by replay', async () => {
    const first = await startWorker()
    const handle = await client.workflow.start(ORDER_WORKFLOW_TYPE, {
      taskQueue: 'durable-delivery',
      workflowId: 'order-restart-1',
      // A short rating window: nobody rates, and the order completes soon after the prompt.
      args: [2, { ratingDelay: '1 second', ratingWindow: '1 second' }],
    })
    await waitForState(handle, 'Paid')
    expect(await first.stop('SIGTERM')).toBe(0)

    const second = await startWorker()
    await handle.signal(pickedUpSignal)
    await waitForState(handle, 'Picked up')
    await handle.signal(deliveredSignal)
    await handle.result()
    expect(await second.stop('SIGTERM')).toBe(0)

    // A Worker with an empty cache answers the query by replaying the history.
    await startWorker()
    const status = await handle.query(getStatusQuery)
    expect(status).toMatchObject({ productId: 2, state: 'Delivered' })
    expect(Date.parse(String(status.deliveredAt))).not.toBeNaN()

    const ledger = new Ledger(join(dir, 'ledger.sqlite'))
    try {
      expect(ledger.payments(handle.workflowId).map(({ kind, cents }) => ({ kind, cents }))).toEqual([
        { kind: 'charge', cents: 2000 },
      ])
      expect(ledger.notifications(handle.workflowId).map((entry) => entry.message)).toEqual([
        '🚗 Order picked up',
        '✅ Order delivered!',
        '✍️ Rate your meal. How was the burrata?',
      ])
    } finally {
      ledger.close()
    }
  })
})
