import { condition, proxyActivities, setHandler, sleep, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow'
import type { OrderState } from '@durable-delivery/common'
import { ORDER_STATE } from '@durable-delivery/common/search-attributes'
import {
  deliverUpdate,
  getStatusQuery,
  pickUpUpdate,
  waitForPaymentUpdate,
} from '@durable-delivery/workflows/definitions'

/** The floor's no-op activities: what Temporal costs for an activity, with nothing of ours inside. */
export interface FloorActivities {
  charge(): Promise<void>
  notify(): Promise<void>
}

const { charge, notify } = proxyActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' })

/**
 * `benchFloor` (floor-names.ts; never listed by the driver portal, which lists WorkflowType = 'order').
 * The order's happy path as the API drives it, reduced to its Temporal shape and nothing else: the
 * same search attribute upserts (each state after Charging card: the start gives the product and
 * Charging card, as the API's does), the same memo upserts (the pickup and delivery deadlines),
 * the same four activities (charge, three notifications), the same four
 * timers (pickup and delivery windows, rating delay, rating window), the same three Updates
 * (waitForPayment at placement, pickUp, deliver) and the same query. Its throughput is the floor our `order` is measured against.
 */
export async function benchFloor(ratingDelayMs: number, ratingWindowMs = 1): Promise<void> {
  let state: OrderState = 'Charging card'
  const setState = (next: OrderState) => {
    state = next
    upsertSearchAttributes([{ key: ORDER_STATE, value: state }])
  }
  const status = () => ({ productId: 2, state })
  const pickUp = () => {
    if (state === 'Paid') setState('Picked up')
    return status()
  }
  const deliver = () => {
    if (state === 'Picked up') setState('Delivered')
    return status()
  }
  setHandler(pickUpUpdate, pickUp)
  setHandler(deliverUpdate, deliver)
  setHandler(waitForPaymentUpdate, async () => {
    await condition(() => state !== 'Charging card')
    return status()
  })
  setHandler(getStatusQuery, status)
  await charge()
  setState('Paid')
  upsertMemo({ pickupDeadline: 'soon' })
  if (!(await condition(() => state === 'Picked up', '1 hour'))) return
  await notify()
  upsertMemo({ deliveryDeadline: 'soon' })
  if (!(await condition(() => state === 'Delivered', '1 hour'))) return
  await notify()
  await sleep(ratingDelayMs)
  await notify()
  await sleep(ratingWindowMs)
}
