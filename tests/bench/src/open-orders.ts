import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import type { Client } from '@temporalio/client'
import { DEFAULTS } from '@durable-delivery/common/config'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { ORDER_WORKFLOW_TYPE } from '@durable-delivery/workflows/definitions'

/** Paid orders waiting for a driver: with a one-hour pickup window none of them moves during a run. */
const OPEN_ORDER_OPTIONS = { pickupWindow: '1h' }
const STARTS_IN_FLIGHT = 32
const PAID = `WorkflowType = '${ORDER_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND ${ORDER_STATE.name} = 'Paid'`

/**
 * Starts `count` orders straight on Temporal (cheaper than the API, same workflow and attributes)
 * and waits until every one is Paid in visibility, so that the list and the Worker's cache hold
 * them all, and the server has finished their writes before anything is measured.
 */
export async function openOrders(client: Client, count: number): Promise<string[]> {
  // Those already open count too: the wait is for all of them, not for `count` of any.
  const before = (await client.workflow.count(PAID)).count
  const ids = Array.from({ length: count }, () => randomUUID())
  let next = 0
  const lane = async () => {
    for (let id: string | undefined; (id = ids[next++]);) {
      await client.workflow.start(ORDER_WORKFLOW_TYPE, {
        workflowId: id,
        taskQueue: DEFAULTS.taskQueue,
        args: [2, OPEN_ORDER_OPTIONS],
        typedSearchAttributes: [
          { key: ORDER_STATE, value: 'Charging card' },
          { key: ORDER_PRODUCT_ID, value: 2 },
        ],
      })
    }
  }
  await Promise.all(Array.from({ length: STARTS_IN_FLIGHT }, lane))
  await waitPaid(client, before + count)
  return ids
}

/** Waits until at least `count` running orders are Paid in visibility. */
async function waitPaid(client: Client, count: number, timeoutMs = 30 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const { count: paid } = await client.workflow.count(PAID)
    if (paid >= count) return
    if (Date.now() > deadline) throw new Error(`Only ${paid} of ${count} open orders are Paid after ${timeoutMs} ms`)
    await delay(500)
  }
}
