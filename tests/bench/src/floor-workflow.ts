import { condition, proxyActivities, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow'
import type { OrderState } from '@durable-delivery/common'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { deliveredSignal, getStatusQuery, pickedUpSignal } from '@durable-delivery/workflows/definitions'

/** The floor's no-op activities: what Temporal costs for an activity, with nothing of ours inside. */
export interface FloorActivities {
  charge(): Promise<void>
  notify(): Promise<void>
}

const { charge, notify } = proxyActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' })

/**
 * `benchFloor` (floor-names.ts; never listed by the driver portal, which lists WorkflowType = 'order').
 * The order's happy path reduced to its Temporal shape and nothing else: the same search
 * attribute upserts (product, then each state), the same four activities (charge, three
 * notifications), the same three timers (pickup and delivery windows, rating delay), the same two
 * signals and the same query. Its throughput is the floor our `order` is measured against.
 */
export async function benchFloor(ratingDelayMs: number): Promise<void> {
  let state: OrderState = 'Charging card'
  const setState = (next: OrderState) => {
    state = next
    upsertSearchAttributes([{ key: ORDER_STATE, value: state }])
  }
  setHandler(pickedUpSignal, () => {
    if (state === 'Paid') setState('Picked up')
  })
  setHandler(deliveredSignal, () => {
    if (state === 'Picked up') setState('Delivered')
  })
  setHandler(getStatusQuery, () => ({ productId: 2, state }))
  upsertSearchAttributes([{ key: ORDER_PRODUCT_ID, value: 2 }])
  setState('Charging card')
  await charge()
  setState('Paid')
  if (!(await condition(() => state === 'Picked up', '1 hour'))) return
  await notify()
  if (!(await condition(() => state === 'Delivered', '1 hour'))) return
  await notify()
  await sleep(ratingDelayMs)
  await notify()
}
