import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Client, Connection, type WorkflowHandle } from '@temporalio/client'
import { priceCart, type OrderState } from '@durable-delivery/common'
import { checkLedger, Ledger, orderExpectations, paymentKey } from '@durable-delivery/activities'
import {
  deliveredSignal,
  deliverUpdate,
  getStatusQuery,
  ORDER_WORKFLOW_TYPE,
  pickedUpSignal,
  pickUpUpdate,
  rateUpdate,
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

async function startWorker(env: Record<string, string> = {}): Promise<WorkerProcess> {
  const worker = await startWorkerProcess({
    address: inject('temporalAddress'),
    env: {
      PAYMENT_FAILURE_RATE: '0',
      NOTIFICATION_FAILURE_RATE: '0',
      RESTAURANT_FAILURE_RATE: '0',
      LEDGER_PATH: join(dir, 'ledger.sqlite'),
      ...env,
    },
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

  it("a cart's order outlives a Worker killed while the restaurant prepares it: ready, delivered, charged once", async () => {
    // Slow enough to kill the Worker mid-preparation: the restaurant's callback is in the ledger's order book.
    const kitchen = { RESTAURANT_ACCEPT_MS: '200', RESTAURANT_PREP_MS_PER_ITEM: '2000' }
    const first = await startWorker(kitchen)
    const lines = priceCart([
      { productId: 2, quantity: 2 },
      { productId: 3, quantity: 1 },
    ])
    const handle = await client.workflow.start(ORDER_WORKFLOW_TYPE, {
      taskQueue: 'durable-delivery',
      workflowId: 'order-restart-cart',
      args: [
        2,
        { lines, tip: { cents: 500 }, customerId: 'cust-1', ratingDelay: '1 second', ratingWindow: '1 second' },
      ],
    })
    await waitForState(handle, 'Preparing')
    const ledger = new Ledger(join(dir, 'ledger.sqlite'))
    try {
      await waitFor('the kitchen to have accepted the order', () =>
        ledger.restaurantOrders().some((entry) => entry.orderId === handle.workflowId && entry.stage === 'accepted'),
      )
      await first.stop('SIGKILL')

      // The next Worker resumes the kitchen's pending callback: markReady arrives without anyone asking.
      await startWorker(kitchen)
      await waitForState(handle, 'Ready')
      await handle.executeUpdate(pickUpUpdate, { args: [{ driverId: 'd1' }] })
      await handle.executeUpdate(deliverUpdate, { args: [{ driverId: 'd1' }] })
      await handle.executeUpdate(rateUpdate, { args: [{ stars: 5, extraTipCents: 200 }] })
      await handle.result()

      expect(ledger.payments(handle.workflowId).map(({ kind, cents, purpose }) => ({ kind, cents, purpose }))).toEqual([
        { kind: 'charge', cents: 6000, purpose: 'order' },
        { kind: 'charge', cents: 200, purpose: 'extra-tip' },
      ])
      expect(ledger.restaurantOrders('all').filter((entry) => entry.orderId === handle.workflowId)).toMatchObject([
        { stage: 'done' },
      ])
      expect(await handle.query(getStatusQuery)).toMatchObject({ state: 'Delivered', extraTipCents: 200 })
      // npm run ledger's verdict, from how Temporal says the order ended: its lines, tip and extra tip.
      const entries = ledger.payments(handle.workflowId)
      const key = paymentKey(handle.workflowId, handle.firstExecutionRunId)
      const want = (await orderExpectations(client, entries)).expected.get(key)
      expect(want).toEqual({ netCents: 6200 })
      expect(checkLedger(entries, new Map([[key, want!]]))).toMatchObject({ ok: true, problems: [] })
    } finally {
      ledger.close()
    }
  })
})
