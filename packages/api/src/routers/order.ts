import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client'
import { TRPCError, tracked } from '@trpc/server'
import {
  describeLines,
  getProductById,
  priceCart,
  subtotalCents,
  tipFor,
  totalCents,
  type OrderLine,
  type OrderOptions,
  type OrderTip,
} from '@durable-delivery/common'
import { ORDER_PRODUCT_ID, orderStartAttributes } from '@durable-delivery/common/search-attributes'
import {
  answerShortageUpdate,
  cancelOrderUpdate,
  ORDER_WORKFLOW_TYPE,
  orderStartMetadata,
  rateUpdate,
  type RateInput,
} from '@durable-delivery/workflows/definitions'
import {
  answerShortageInput,
  cancelOrderInput,
  createOrderInput,
  orderIdInput,
  pageInput,
  rateOrderInput,
  watchOrderInput,
  type CreateOrderInput,
} from '../inputs'
import { cartMemo, sameCart } from '../read-model/cart-memo'
import { updateOrder } from '../order-updates'
import { watchWorkflow } from '../order-watcher'
import { isCustomersOrder, noSuchOrder } from '../ownership'
import { customerOrders } from '../read-model/customer-orders'
import { orderStatus, projectedStatusView, settledStatus, type OrderStatusView } from '../read-model/order-status'
import { StatusProjection } from '../read-model/status-projection'
import { withTemporal } from '../temporal-errors'
import { customerProcedure, router } from '../trpc'

export interface CreatedOrder {
  orderId: string
  productId: number
  /** False when this order id had already been placed for the same dish (or cart): the same order, not a new one. */
  created: boolean
  /** A cart's order: its lines at the prices fixed now, and what was charged (lines and tip), in cents. */
  lines?: OrderLine[]
  tip?: OrderTip
  cents?: number
  /**
   * A new order's status once its charge settled (usually Paid), when that took less than the
   * context's paymentWaitMs: the page shows it at once. Absent otherwise; the status follows as usual.
   */
  status?: OrderStatusView
}

/** The customer's side: place an order, watch it, cancel it, list them. Every order is the customer's own. */
export const orderRouter = router({
  createOrder: customerProcedure.input(createOrderInput).mutation(({ ctx, input }) => {
    const { orderId } = input
    // Per customer and per address (docs/operations.md, "Rate limits"); a retried click counts too.
    if (
      !ctx.shared.placePerCustomer.take(ctx.customerId) ||
      !ctx.shared.placePerAddress.take(ctx.identity.clientAddress)
    ) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: 'Too many orders at once: wait a minute and try again',
      })
    }
    const placing = whatIsPlaced(input)
    return withTemporal(ctx, `Order ${orderId}`, async (client): Promise<CreatedOrder> => {
      const { productId, cents, cart } = placing
      const options: OrderOptions = {
        ...ctx.orderWaits,
        cents,
        customerId: ctx.customerId,
        ...(cart ? { lines: cart.lines, ...(cart.tip ? { tip: cart.tip } : {}) } : {}),
      }
      const answer = {
        orderId,
        productId,
        ...(cart ? { lines: cart.lines, ...(cart.tip ? { tip: cart.tip } : {}), cents } : {}),
      }
      try {
        await client.workflow.start(ORDER_WORKFLOW_TYPE, {
          workflowId: orderId,
          taskQueue: ctx.taskQueue,
          // The contract's productId, then the options: who ordered, the price the menu showed
          // (fixed for the life of the order, whatever the menu says later), a cart's lines and
          // tip, the waits when configured.
          args: [productId, options],
          // What an operator reads in the Web UI's list instead of a bare UUID.
          ...orderStartMetadata({ productName: placing.name, cents, customerId: ctx.customerId }),
          // An order id is placed once, ever: a retried click or request finds the same order.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          // Listed with its state and customer from the first moment, before the Worker has run a task.
          typedSearchAttributes: orderStartAttributes(productId, 'Charging card', ctx.customerId),
          // A cart's dishes and tip for the driver list (free at start, no Query per row), and the
          // retry check below: the order's own memo, never changed by the API again.
          ...(cart ? { memo: cartMemo(cart.lines, cart.tip) } : {}),
        })
        const status = await settledStatus(ctx, client, orderId)
        return { ...answer, created: true, ...(status ? { status } : {}) }
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error
        // The id is the customer's idempotency key: their own retry is the same order. Another
        // customer's id (they could only have it by copying it) is refused without saying whose.
        // A retry is the same dish, or the same cart at the same prices and tip, word for word.
        const placed = await client.workflow.getHandle(orderId).describe()
        if (
          isCustomersOrder(placed, ctx.customerId) &&
          placed.typedSearchAttributes.get(ORDER_PRODUCT_ID) === productId &&
          sameCart(placed.memo, cart)
        ) {
          return { ...answer, created: false }
        }
        throw new TRPCError({
          code: 'CONFLICT',
          message: 'This order id is already in use: reload the menu and order again',
        })
      }
    })
  }),

  getOrderStatus: customerProcedure
    .input(orderIdInput)
    .query(({ ctx, input: orderId }) =>
      withTemporal(ctx, `Order ${orderId}`, (client) => orderStatus(ctx, client, orderId, ctx.customerId)),
    ),

  /**
   * The same view as getOrderStatus, pushed over SSE: the current status at once, then every
   * change, from the process's one watcher of this order (order-watcher.ts). Each value carries
   * an event id, so a reconnect (a dropped connection, a function that hit its time limit)
   * resumes without missing or repeating a change. Another customer's order is NOT_FOUND, by the
   * same check as getOrderStatus, before the subscriber joins the shared watcher.
   */
  watchOrderStatus: customerProcedure.input(watchOrderInput).subscription(async function* ({ ctx, input, signal }) {
    const { orderId, lastEventId } = input
    const client = await withTemporal(ctx, `Order ${orderId}`, async (client) => {
      if (!isCustomersOrder(await client.workflow.getHandle(orderId).describe(), ctx.customerId)) {
        throw noSuchOrder(orderId)
      }
      return client
    })
    const values = watchWorkflow({
      client,
      namespace: ctx.namespace,
      workflowId: orderId,
      read: () => withTemporal(ctx, `Order ${orderId}`, (client) => orderStatus(ctx, client, orderId, ctx.customerId)),
      isDegraded: (view) => view.fromSearchAttributes === true,
      // The status from the history the watcher reads: a Query only when the history cannot say.
      ...(ctx.liveProjection
        ? {
            project: () => {
              const projection = new StatusProjection()
              return {
                apply: (events) => projection.apply(events),
                value: () => projectedStatusView(ctx, orderId, projection),
                settling: () => projection.settling(),
                awaitingFirstTask: () => projection.awaitingFirstTask(),
              }
            },
          }
        : {}),
      longPolls: ctx.liveLongPolls,
      lastEventId,
      ...(signal ? { signal } : {}),
    })
    for await (const { id, value } of values) yield tracked(id, value)
  }),

  /** This customer's orders, newest first, a page at a time, from Temporal's visibility (any browser, any tab). */
  myOrders: customerProcedure
    .input(pageInput)
    .query(({ ctx, input }) =>
      withTemporal(ctx, 'Your orders', (client) => customerOrders(client, ctx.customerId, input.cursor)),
    ),

  /**
   * The customer cancels before pickup. The workflow's validator decides; its answer is returned
   * as it is, a refusal (picked up already, closed) as PRECONDITION_FAILED with its sentence.
   */
  cancelOrder: customerProcedure.input(cancelOrderInput).mutation(({ ctx, input }) =>
    withTemporal(ctx, `Order ${input.orderId}`, async (client) => {
      const { orderId, reason } = input
      const answer = await updateOrder(
        client,
        orderId,
        'cancelled',
        (handle) => handle.executeUpdate(cancelOrderUpdate, { args: [reason === undefined ? {} : { reason }] }),
        ctx.customerId,
      )
      return { orderId, message: answer.message }
    }),
  ),

  /**
   * The customer rates a delivered meal. The workflow's validator decides (delivered, not yet
   * rated, within the window); a refusal comes back as PRECONDITION_FAILED with its sentence.
   */
  rate: customerProcedure.input(rateOrderInput).mutation(({ ctx, input }) =>
    withTemporal(ctx, `Order ${input.orderId}`, async (client) => {
      const { orderId, stars, comment, extraTipCents } = input
      const args: RateInput = {
        stars,
        ...(comment === undefined ? {} : { comment }),
        ...(extraTipCents === undefined ? {} : { extraTipCents }),
      }
      const rating = await updateOrder(
        client,
        orderId,
        'rated',
        (handle) => handle.executeUpdate(rateUpdate, { args: [args] }),
        ctx.customerId,
      )
      return { orderId, rating }
    }),
  ),

  /**
   * The customer answers a shortage (the restaurant is out of a dish): go ahead without it (a
   * partial refund) or cancel (a full one). The workflow's validator decides whether the question
   * is still open; its refusal comes back as PRECONDITION_FAILED with its sentence.
   */
  answerShortage: customerProcedure.input(answerShortageInput).mutation(({ ctx, input }) =>
    withTemporal(ctx, `Order ${input.orderId}`, async (client) => {
      const { orderId, goAhead } = input
      const status = await updateOrder(
        client,
        orderId,
        goAhead ? 'changed' : 'cancelled',
        (handle) => handle.executeUpdate(answerShortageUpdate, { args: [{ goAhead }] }),
        ctx.customerId,
      )
      return { orderId, state: status.state }
    }),
  ),
})

/** What an order request places: the seed's one dish at the menu's price, or a priced cart. */
function whatIsPlaced(input: CreateOrderInput): {
  productId: number
  cents: number
  /** How the Web UI names it: the dish, or "2 × Burrata, 1 × Potato". */
  name: string
  cart?: { lines: OrderLine[]; tip: OrderTip | undefined }
} {
  if (input.items === undefined) {
    // The validator made sure of one of the two.
    const product = getProductById(input.productId!)!
    return { productId: product.id, cents: product.cents, name: product.name }
  }
  // Priced here, at the menu's prices now: what the browser thinks a dish costs is not asked.
  const lines = priceCart(input.items)
  const tip = tipFor(input.tip ?? { kind: 'none' }, subtotalCents(lines))
  return {
    productId: lines[0]!.productId,
    cents: totalCents(lines, tip),
    name: describeLines(lines),
    cart: { lines, tip },
  }
}
