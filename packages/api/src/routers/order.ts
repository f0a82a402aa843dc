import { isGrpcDeadlineError, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client'
import { TRPCError } from '@trpc/server'
import { getProductById, type OrderState } from '@durable-delivery/common'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { cancelOrderUpdate, getStatusQuery, ORDER_WORKFLOW_TYPE } from '@durable-delivery/workflows/definitions'
import type { InnerContext } from '../context'
import { failureReason } from '../failure-reason'
import { cancelOrderInput, createOrderInput, orderIdInput } from '../inputs'
import { updateOrder } from '../order-updates'
import { visibleState, webUiUrl } from '../order-view'
import { withTemporal } from '../temporal-errors'
import { publicProcedure, router } from '../trpc'

export interface CreatedOrder {
  orderId: string
  productId: number
  /** False when this order id had already been placed for the same dish: the same order, not a new one. */
  created: boolean
}

export interface OrderStatusView {
  orderId: string
  productId: number
  state: OrderState
  deliveredAt?: Date
  /** The price fixed when the order was placed, in cents. */
  cents?: number
  /** Why a Failed or Cancelled order ended, in the workflow's words. */
  failure?: string
  /** True when the Worker did not answer the query and the state comes from the last search attribute update. */
  fromSearchAttributes?: boolean
  webUiUrl: string
}

/** The customer's side: place an order, watch it. */
export const orderRouter = router({
  createOrder: publicProcedure.input(createOrderInput).mutation(({ ctx, input }) =>
    withTemporal(ctx, `Order ${input.orderId}`, async (client): Promise<CreatedOrder> => {
      const { orderId, productId } = input
      try {
        await client.workflow.start(ORDER_WORKFLOW_TYPE, {
          workflowId: orderId,
          taskQueue: ctx.taskQueue,
          // The contract's productId, then the options: the price the menu showed (fixed for the
          // life of the order, whatever the menu says later) and the waits when configured.
          args: [productId, { ...ctx.orderWindows, cents: getProductById(productId)!.cents }],
          // An order id is placed once, ever: a retried click or request finds the same order.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          // Listed with its state from the first moment, before the Worker has run a task.
          typedSearchAttributes: [
            { key: ORDER_STATE, value: 'Charging card' },
            { key: ORDER_PRODUCT_ID, value: productId },
          ],
        })
        return { orderId, productId, created: true }
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error
        if ((await placedProductId(client, orderId)) === productId) return { orderId, productId, created: false }
        throw new TRPCError({ code: 'CONFLICT', message: `Order ${orderId} already exists for another dish` })
      }
    }),
  ),

  getOrderStatus: publicProcedure
    .input(orderIdInput)
    .query(({ ctx, input: orderId }) =>
      withTemporal(ctx, `Order ${orderId}`, (client) => orderStatus(ctx, client, orderId)),
    ),

  /**
   * The customer cancels before pickup. The workflow's validator decides; its answer is returned
   * as it is, a refusal (picked up already, closed) as PRECONDITION_FAILED with its sentence.
   */
  cancelOrder: publicProcedure.input(cancelOrderInput).mutation(({ ctx, input }) =>
    withTemporal(ctx, `Order ${input.orderId}`, async (client) => {
      const { orderId, reason } = input
      const answer = await updateOrder(client, orderId, 'cancelled', (handle) =>
        handle.executeUpdate(cancelOrderUpdate, { args: [reason === undefined ? {} : { reason }] }),
      )
      return { orderId, message: answer.message }
    }),
  ),
})

/** The dish an existing order was placed for, or undefined if it is not one of our orders. */
async function placedProductId(client: Client, orderId: string): Promise<number | undefined> {
  const description = await client.workflow.getHandle(orderId).describe()
  if (description.type !== ORDER_WORKFLOW_TYPE) return undefined
  return description.typedSearchAttributes.get(ORDER_PRODUCT_ID)
}

async function orderStatus(ctx: InnerContext, client: Client, orderId: string): Promise<OrderStatusView> {
  const handle = client.workflow.getHandle(orderId)
  // describe() answers NOT_FOUND fast and says whether the execution failed; the query has the
  // authoritative state and the delivery time.
  // The query gets half the deadline, so that the fallback below still has time to answer.
  const query = client.connection.withDeadline(Date.now() + ctx.rpcTimeoutMs / 2, () => handle.query(getStatusQuery))
  const [description, queried] = await Promise.all([handle.describe(), query.catch((error: unknown) => error)])
  if (description.type !== ORDER_WORKFLOW_TYPE) {
    throw new TRPCError({ code: 'NOT_FOUND', message: `Order ${orderId}: no such order` })
  }
  const base = { orderId, webUiUrl: webUiUrl(ctx, orderId) }
  let view: OrderStatusView
  if (queried instanceof Error || queried === undefined || queried === null || typeof queried !== 'object') {
    // Without a Worker the query cannot be answered; the last reported state is still worth showing.
    if (!isGrpcDeadlineError(queried)) throw queried
    const state = visibleState(description.status.name, description.typedSearchAttributes.get(ORDER_STATE))
    const productId = description.typedSearchAttributes.get(ORDER_PRODUCT_ID)
    if (!state || productId === undefined) throw queried
    view = { ...base, productId, state, fromSearchAttributes: true }
  } else {
    const status = queried as {
      productId: number
      state: OrderState
      deliveredAt?: Date | string
      cents?: number
      failure?: string
    }
    const state = visibleState(description.status.name, status.state) ?? status.state
    // The query result crosses Temporal's JSON converter: deliveredAt arrives as an ISO string.
    const deliveredAt = status.deliveredAt === undefined ? undefined : new Date(status.deliveredAt)
    view = {
      ...base,
      productId: status.productId,
      state,
      ...(deliveredAt ? { deliveredAt } : {}),
      ...(status.cents !== undefined ? { cents: status.cents } : {}),
      ...(status.failure !== undefined && (state === 'Failed' || state === 'Cancelled')
        ? { failure: status.failure }
        : {}),
    }
  }
  if (view.state === 'Failed' && view.failure === undefined && description.status.name !== 'RUNNING') {
    view.failure = await failureReason(client, orderId).catch(() => undefined)
  }
  return view
}
