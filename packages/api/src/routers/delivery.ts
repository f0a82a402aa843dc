import type { Client, WorkflowExecutionInfo } from '@temporalio/client'
import { errorMessage, getProductById, type OrderState } from '@durable-delivery/common'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { deliverUpdate, ORDER_WORKFLOW_TYPE, pickUpUpdate } from '@durable-delivery/workflows/definitions'
import type { InnerContext } from '../context'
import { orderIdInput } from '../inputs'
import { updateOrder } from '../order-updates'
import { visibleState, webUiUrl } from '../order-view'
import { withTemporal } from '../temporal-errors'
import { publicProcedure, router } from '../trpc'

/** The driver list shows the newest orders only: one visibility page, whatever the history holds. */
export const ORDER_LIST_LIMIT = 100

interface OrderRowBase {
  orderId: string
  startedAt: Date
  closedAt?: Date
  webUiUrl: string
}

/** One line of the driver's table: an order, or an execution whose state cannot be read. */
export type OrderRow =
  | (OrderRowBase & { ok: true; productId: number; productName: string; state: OrderState })
  | (OrderRowBase & { ok: false; error: string })

/**
 * The driver the portal acts as. Drivers do not sign in yet (a later issue): until then every
 * pickup and delivery through the portal carries this one id. Two drivers racing still get
 * exactly one success: the workflow's validator refuses the second pickup whoever sends it.
 */
const PORTAL_DRIVER_ID = 'driver-portal'

const pickUp = { update: pickUpUpdate, verb: 'picked up' }
const deliver = { update: deliverUpdate, verb: 'delivered' }

/** The driver's side: every order with its state, and the two Updates (pickUp, deliver). */
export const deliveryRouter = router({
  getOrders: publicProcedure.query(({ ctx }) =>
    withTemporal(ctx, 'Listing orders', (client) => listOrders(ctx, client)),
  ),
  pickUp: publicProcedure
    .input(orderIdInput)
    .mutation(({ ctx, input: orderId }) =>
      withTemporal(ctx, `Order ${orderId}`, (client) => driverAction(client, orderId, pickUp)),
    ),
  deliver: publicProcedure
    .input(orderIdInput)
    .mutation(({ ctx, input: orderId }) =>
      withTemporal(ctx, `Order ${orderId}`, (client) => driverAction(client, orderId, deliver)),
    ),
})

/**
 * One visibility query, not one Query per order: the workflow keeps its state in the OrderState
 * search attribute. An execution whose attributes are missing or make no sense becomes an error
 * row; it never breaks the list.
 */
async function listOrders(ctx: InnerContext, client: Client): Promise<OrderRow[]> {
  const rows: OrderRow[] = []
  const executions = client.workflow.list({
    query: `WorkflowType = '${ORDER_WORKFLOW_TYPE}'`,
    pageSize: ORDER_LIST_LIMIT,
  })
  for await (const execution of executions) {
    rows.push(toRow(ctx, execution))
    if (rows.length >= ORDER_LIST_LIMIT) break
  }
  return rows
}

function toRow(ctx: InnerContext, execution: WorkflowExecutionInfo): OrderRow {
  const base: OrderRowBase = {
    orderId: execution.workflowId,
    startedAt: execution.startTime,
    ...(execution.closeTime ? { closedAt: execution.closeTime } : {}),
    webUiUrl: webUiUrl(ctx, execution.workflowId),
  }
  try {
    const reported = execution.typedSearchAttributes.get(ORDER_STATE)
    const productId = execution.typedSearchAttributes.get(ORDER_PRODUCT_ID)
    const state = visibleState(execution.status.name, reported)
    if (!state) return { ...base, ok: false, error: `Unknown state ${JSON.stringify(reported ?? null)}` }
    const product = productId === undefined ? undefined : getProductById(productId)
    if (!product) return { ...base, ok: false, error: `Unknown product ${JSON.stringify(productId ?? null)}` }
    return { ...base, ok: true, productId: product.id, productName: product.name, state }
  } catch (error) {
    return { ...base, ok: false, error: `Unreadable search attributes: ${errorMessage(error)}` }
  }
}

/**
 * A driver's action as an Update: the workflow answers with its new state, or refuses with a
 * sentence (another driver was first, the window has closed, ...), in one step, so there is no
 * check-then-signal race.
 */
async function driverAction(
  client: Client,
  orderId: string,
  action: typeof pickUp | typeof deliver,
): Promise<{ orderId: string; state: OrderState }> {
  const status = await updateOrder(client, orderId, action.verb, (handle) =>
    handle.executeUpdate(action.update, { args: [{ driverId: PORTAL_DRIVER_ID }] }),
  )
  return { orderId, state: status.state }
}
