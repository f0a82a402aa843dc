import { isGrpcDeadlineError, type Client, type WorkflowExecutionStatusName } from '@temporalio/client'
import {
  subtotalCents,
  type OrderRating,
  type OrderState,
  type OrderStatus,
  type SentNotification,
} from '@durable-delivery/common'
import { ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { getStatusQuery, waitForPaymentUpdate } from '@durable-delivery/workflows/definitions'
import type { InnerContext } from '../context'
import { failureReason } from '../failure-reason'
import { isCustomersOrder, noSuchOrder } from '../ownership'
import { memoLines } from './cart-memo'
import { visibleState, webUiLink } from './order-view'
import type { StatusProjection } from './status-projection'

/**
 * What a customer's page shows of one order: getOrderStatus's answer, and each watchOrderStatus
 * value. A cart's fields are the workflow's own (`OrderStatus`), passed as they are.
 */
export interface OrderStatusView extends Pick<
  OrderStatus,
  'lines' | 'subtotalCents' | 'tip' | 'restaurant' | 'shortage' | 'refundedCents' | 'extraTipCents'
> {
  orderId: string
  productId: number
  state: OrderState
  /** ISO 8601. */
  deliveredAt?: string
  /** The price fixed when the order was placed, in cents. */
  cents?: number
  /** Why a Failed or Cancelled order ended, in the workflow's words. */
  failure?: string
  /** What the customer was sent, oldest first (absent from workflows that do not record it). */
  notifications?: SentNotification[]
  /** While waiting for a driver (Paid; a cart's order: Ready): when the order is refunded if nobody picks it up (ISO 8601). */
  pickupDeadline?: string
  /** While Picked up: when the order is refunded if it is not delivered (ISO 8601). */
  deliveryDeadline?: string
  /** After delivery: until when a rating is accepted (ISO 8601). */
  ratingDeadline?: string
  rating?: OrderRating
  /** True when the Worker did not answer the query and the state comes from the last search attribute update. */
  fromSearchAttributes?: boolean
  /** The order in the Temporal Web UI, where operator links are on. */
  webUiUrl?: string
}

/**
 * The order's status, from the workflow's query, or from its search attributes when no Worker
 * answers. With `customerId`, another customer's order is NOT_FOUND like an unknown one.
 */
export async function orderStatus(
  ctx: InnerContext,
  client: Client,
  orderId: string,
  customerId?: string,
): Promise<OrderStatusView> {
  const handle = client.workflow.getHandle(orderId)
  // describe() answers NOT_FOUND fast and says whether the execution failed; the query has the
  // authoritative state and the delivery time.
  // The query gets half the deadline, so that the fallback below still has time to answer.
  const query = client.connection.withDeadline(Date.now() + ctx.rpcTimeoutMs / 2, () => handle.query(getStatusQuery))
  const [description, queried] = await Promise.all([handle.describe(), query.catch((error: unknown) => error)])
  if (!isCustomersOrder(description, customerId)) throw noSuchOrder(orderId)
  const base = { orderId, ...webUiLink(ctx, orderId) }
  let view: OrderStatusView
  if (queried instanceof Error || queried === undefined || queried === null || typeof queried !== 'object') {
    // Without a Worker the query cannot be answered; the last reported state is still worth showing.
    if (!isGrpcDeadlineError(queried)) throw queried
    const state = visibleState(description.status.name, description.typedSearchAttributes.get(ORDER_STATE))
    const productId = description.typedSearchAttributes.get(ORDER_PRODUCT_ID)
    if (!state || productId === undefined) throw queried
    // A cart's dishes and tip are in its memo since it started: still shown without a Worker.
    const lines = memoLines(description.memo)
    const tipCents = description.memo?.tipCents
    const cart = lines
      ? {
          lines,
          subtotalCents: subtotalCents(lines),
          ...(typeof tipCents === 'number' && tipCents > 0 ? { tip: { cents: tipCents } } : {}),
        }
      : {}
    view = { ...base, productId, state, ...cart, fromSearchAttributes: true }
  } else {
    view = { ...base, ...statusView(queried as WireStatus, description.status.name) }
  }
  if (view.state === 'Failed' && view.failure === undefined && description.status.name !== 'RUNNING') {
    view.failure = await failureReason(client, orderId).catch(() => undefined)
  }
  return view
}

/**
 * The same view as `orderStatus`, from the order's history instead of a Query (the live card's
 * watcher feeds the projection what it reads); undefined when the history cannot say.
 */
export function projectedStatusView(
  ctx: InnerContext,
  orderId: string,
  projection: StatusProjection,
): OrderStatusView | undefined {
  const status = projection.value()
  if (status === undefined) return undefined
  return { orderId, ...webUiLink(ctx, orderId), ...statusView(status, projection.execution) }
}

/** The workflow's status as it crosses Temporal's JSON converter: deliveredAt arrives as an ISO string (typed Date by the contract). */
type WireStatus = Omit<OrderStatus, 'deliveredAt'> & { deliveredAt?: Date | string }

/** The customer's view of the workflow's status (getStatus, or an Update's answer). */
function statusView(
  status: WireStatus,
  executionStatus: WorkflowExecutionStatusName,
): Omit<OrderStatusView, 'orderId'> {
  const state = visibleState(executionStatus, status.state) ?? status.state
  // Goes on as an ISO string, normalised.
  const deliveredAt = status.deliveredAt === undefined ? undefined : new Date(status.deliveredAt).toISOString()
  return {
    productId: status.productId,
    state,
    ...(deliveredAt ? { deliveredAt } : {}),
    ...(status.cents !== undefined ? { cents: status.cents } : {}),
    ...(status.failure !== undefined && (state === 'Failed' || state === 'Cancelled')
      ? { failure: status.failure }
      : {}),
    ...timelineFields(status),
    ...cartFields(status),
  }
}

/** A cart's lines, money and restaurant step, as the workflow says them; absent from the seed's orders. */
function cartFields(
  status: Pick<
    OrderStatus,
    'lines' | 'subtotalCents' | 'tip' | 'restaurant' | 'shortage' | 'refundedCents' | 'extraTipCents'
  >,
): Partial<OrderStatusView> {
  const { lines, subtotalCents, tip, restaurant, shortage, refundedCents, extraTipCents } = status
  return {
    ...(Array.isArray(lines) ? { lines } : {}),
    ...(subtotalCents !== undefined ? { subtotalCents } : {}),
    ...(tip !== undefined ? { tip } : {}),
    ...(restaurant !== undefined ? { restaurant } : {}),
    ...(shortage !== undefined ? { shortage } : {}),
    ...(refundedCents !== undefined ? { refundedCents } : {}),
    ...(extraTipCents !== undefined ? { extraTipCents } : {}),
  }
}

/**
 * A new order's status once its charge has settled, from the workflow's waitForPayment Update,
 * or undefined when it takes longer than `ctx.paymentWaitMs`: a retried charge, no Worker running,
 * a decline that ended the order before the answer (the status then comes the usual way).
 */
export async function settledStatus(
  ctx: InnerContext,
  client: Client,
  orderId: string,
): Promise<OrderStatusView | undefined> {
  const handle = client.workflow.getHandle(orderId)
  try {
    const status = await client.connection.withDeadline(Date.now() + ctx.paymentWaitMs, () =>
      handle.executeUpdate(waitForPaymentUpdate),
    )
    return { orderId, ...webUiLink(ctx, orderId), ...statusView(status, 'RUNNING') }
  } catch {
    return undefined
  }
}

/**
 * What the customer's card shows beyond the state: the notifications, the running window's
 * deadline, the rating. Absent from workflows that predate them, and then absent here.
 */
function timelineFields(
  status: Pick<OrderStatus, 'notifications' | 'pickupDeadline' | 'deliveryDeadline' | 'ratingDeadline' | 'rating'>,
): Partial<OrderStatusView> {
  const { notifications, pickupDeadline, deliveryDeadline, ratingDeadline, rating } = status
  return {
    ...(Array.isArray(notifications) ? { notifications } : {}),
    ...(pickupDeadline !== undefined ? { pickupDeadline } : {}),
    ...(deliveryDeadline !== undefined ? { deliveryDeadline } : {}),
    ...(ratingDeadline !== undefined ? { ratingDeadline } : {}),
    ...(rating !== undefined ? { rating } : {}),
  }
}
