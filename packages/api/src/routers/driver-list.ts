import type { Client } from '@temporalio/client'
import type { OrderState } from '@durable-delivery/common'
import { deliverUpdate, pickUpUpdate } from '@durable-delivery/workflows/definitions'
import { listSectionInput, orderIdInput, watchListInput } from '../inputs'
import { updateOrder } from '../order-updates'
import { withTemporal } from '../temporal-errors'
import { tracked } from '@trpc/server'
import { driverProcedure, router } from '../trpc'
import { driverListFingerprint, driverListPage } from '../read-model/driver-list'

const pickUp = { update: pickUpUpdate, verb: 'picked up' }
const deliver = { update: deliverUpdate, verb: 'delivered' }

/**
 * The driver list, for signed-in drivers only: its sections, its push, and the two Updates a
 * driver acts by. The workflow records who picked an order up, and refuses a delivery by anyone else.
 */
export const driverListRouter = router({
  listSection: driverProcedure
    .input(listSectionInput)
    .query(({ ctx, input }) =>
      withTemporal(ctx, 'Listing orders', (client) =>
        driverListPage(ctx, client, input.section, ctx.driverId, input.cursor),
      ),
    ),
  /**
   * Pushed over SSE: a version each time the list changes (from the shared reads, one loop per
   * process), on which the portal refetches its sections. No polling while the stream is up.
   */
  watchList: driverProcedure.input(watchListInput).subscription(async function* ({ ctx, signal }) {
    const read = () => withTemporal(ctx, 'Listing orders', (client) => driverListFingerprint(ctx, client))
    for await (const version of ctx.shared.driverListFeed.changes(read, signal))
      yield tracked(String(version), { version })
  }),
  pickUp: driverProcedure.input(orderIdInput).mutation(async ({ ctx, input: orderId }) => {
    const answer = await withTemporal(ctx, `Order ${orderId}`, (client) =>
      driverAction(client, orderId, ctx.driverId, pickUp),
    )
    // This process's drivers see the change on their next read, not a second later.
    ctx.shared.lists.invalidate()
    return answer
  }),
  deliver: driverProcedure.input(orderIdInput).mutation(async ({ ctx, input: orderId }) => {
    const answer = await withTemporal(ctx, `Order ${orderId}`, (client) =>
      driverAction(client, orderId, ctx.driverId, deliver),
    )
    ctx.shared.lists.invalidate()
    return answer
  }),
})

/**
 * A driver's action as an Update: the workflow answers with its new state, or refuses with a
 * sentence (another driver was first, the window has closed, ...), in one step, so there is no
 * check-then-signal race.
 */
async function driverAction(
  client: Client,
  orderId: string,
  driverId: string,
  action: typeof pickUp | typeof deliver,
): Promise<{ orderId: string; state: OrderState }> {
  const status = await updateOrder(client, orderId, action.verb, (handle) =>
    handle.executeUpdate(action.update, { args: [{ driverId }] }),
  )
  return { orderId, state: status.state }
}
