import type { Client } from '@temporalio/client'
import type { OrderState } from '@durable-delivery/common'
import { deliverUpdate, pickUpUpdate } from '@durable-delivery/workflows/definitions'
import { boardSectionInput, orderIdInput, watchBoardInput } from '../inputs'
import { updateOrder } from '../order-updates'
import { withTemporal } from '../temporal-errors'
import { tracked } from '@trpc/server'
import { driverProcedure, router } from '../trpc'
import { boardFingerprint, boardPage } from './driver-board'

const pickUp = { update: pickUpUpdate, verb: 'picked up' }
const deliver = { update: deliverUpdate, verb: 'delivered' }

/**
 * The driver's side, for signed-in drivers only: the list by sections, and the two Updates. The
 * workflow records who picked an order up, and refuses a delivery by anyone else.
 */
export const deliveryRouter = router({
  listSection: driverProcedure
    .input(boardSectionInput)
    .query(({ ctx, input }) =>
      withTemporal(ctx, 'Listing orders', (client) =>
        boardPage(ctx, client, input.section, ctx.driverId, input.cursor),
      ),
    ),
  /**
   * Pushed over SSE: a version each time the list changes (from the shared reads, one loop per
   * process), on which the portal refetches its sections. No polling while the stream is up.
   */
  watchBoard: driverProcedure.input(watchBoardInput).subscription(async function* ({ ctx, signal }) {
    const read = () => withTemporal(ctx, 'Listing orders', (client) => boardFingerprint(ctx, client))
    for await (const version of ctx.shared.boardFeed.changes(read, signal)) yield tracked(String(version), { version })
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
