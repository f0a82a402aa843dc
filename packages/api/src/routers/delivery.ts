import type { Client, WorkflowExecutionInfo } from '@temporalio/client'
import { TRPCError } from '@trpc/server'
import { errorMessage, getProductById, type OrderState } from '@durable-delivery/common'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { deliveredSignal, getStatusQuery, ORDER_WORKFLOW_TYPE, pickedUpSignal } from '@durable-delivery/workflows/definitions'
import type { InnerContext } from '../context'
import { orderIdInput } from '../inputs'
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

type SignalDefinition = typeof pickedUpSignal | typeof deliveredSignal

interface Transition {
  signal: SignalDefinition
  /** The only state in which the signal means something. */
  from: OrderState
  to: OrderState
  /** "picked up", "delivered": for messages. */
  verb: string
}

const pickUp: Transition = { signal: pickedUpSignal, from: 'Paid', to: 'Picked up', verb: 'picked up' }
const deliver: Transition = { signal: deliveredSignal, from: 'Picked up', to: 'Delivered', verb: 'delivered' }

/** The driver's side: every order with its state, and the two signals. */
export const deliveryRouter = router({
  getOrders: publicProcedure.query(({ ctx }) => withTemporal(ctx, 'Listing orders', (client) => listOrders(ctx, client))),
  pickUp: publicProcedure
    .input(orderIdInput)
    .mutation(({ ctx, input: orderId }) => withTemporal(ctx, `Order ${orderId}`, (client) => signalOrder(client, orderId, pickUp))),
  deliver: publicProcedure
    .input(orderIdInput)
    .mutation(({ ctx, input: orderId }) => withTemporal(ctx, `Order ${orderId}`, (client) => signalOrder(client, orderId, deliver))),
})

/**
 * One visibility query, not one Query per order: the workflow keeps its state in the OrderState
 * search attribute. An execution whose attributes are missing or make no sense becomes an error
 * row; it never breaks the list.
 */
async function listOrders(ctx: InnerContext, client: Client): Promise<OrderRow[]> {
  const rows: OrderRow[] = []
  const executions = client.workflow.list({ query: `WorkflowType = '${ORDER_WORKFLOW_TYPE}'`, pageSize: ORDER_LIST_LIMIT })
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
 * Sends a driver's signal, refusing loudly what the workflow would silently ignore: an unknown
 * order, a closed one, or one that is not in the state the signal moves on from. (A transition
 * racing the check, e.g. a pickup window closing at that instant, still leaves the workflow
 * correct: it ignores the late signal.)
 */
async function signalOrder(client: Client, orderId: string, transition: Transition): Promise<{ orderId: string; state: OrderState }> {
  const handle = client.workflow.getHandle(orderId)
  const description = await handle.describe()
  if (description.type !== ORDER_WORKFLOW_TYPE) {
    throw new TRPCError({ code: 'NOT_FOUND', message: `Order ${orderId}: no such order` })
  }
  if (description.status.name !== 'RUNNING') {
    const state = visibleState(description.status.name, description.typedSearchAttributes.get(ORDER_STATE)) ?? 'Failed'
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `Order ${orderId} is closed (${state}): it cannot be ${transition.verb} any more`,
    })
  }
  const { state } = await handle.query(getStatusQuery)
  if (state !== transition.from) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `Order ${orderId} is "${state}": only a "${transition.from}" order can be ${transition.verb}`,
    })
  }
  await handle.signal(transition.signal)
  return { orderId, state: transition.to }
}
