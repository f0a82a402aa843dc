import type { Client, WorkflowExecutionInfo } from '@temporalio/client'
import { getProductById, type OrderLine, type OrderState } from '@durable-delivery/common'
import { CUSTOMER_ID, ORDER_PRODUCT_ID, ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { ORDER_WORKFLOW_TYPE } from '@durable-delivery/workflows/definitions'
import { memoLines } from './cart-memo'
import { visibleState } from './order-view'
import { listExecutionPage, queryString } from '../visibility/order-pages'

/** Orders per page of "Your orders". */
export const CUSTOMER_PAGE_SIZE = 10

export interface CustomerOrder {
  orderId: string
  productId: number
  /** From the order's search attributes (visibility may trail the workflow by a moment). */
  state?: OrderState
  /** ISO 8601. */
  placedAt: string
  /** A cart's order: its lines as placed (from the memo), so the card names every dish at once. */
  lines?: OrderLine[]
}

export interface CustomerOrderPage {
  orders: CustomerOrder[]
  /** Give it back for the next page; absent on the last one. */
  nextCursor?: string
}

/**
 * A customer's orders from Temporal visibility (`CustomerId = '...'`), newest first, by
 * visibility's own page token: they survive reloads, new tabs and cleared storage.
 */
export async function customerOrders(client: Client, customerId: string, cursor?: string): Promise<CustomerOrderPage> {
  const query = `WorkflowType = '${ORDER_WORKFLOW_TYPE}' AND CustomerId = ${queryString(customerId)}`
  const page = await listExecutionPage(client, query, CUSTOMER_PAGE_SIZE, cursor)
  return {
    orders: page.executions.flatMap((execution) => toCustomerOrder(execution, customerId)),
    ...(page.nextPageToken === undefined ? {} : { nextCursor: page.nextPageToken }),
  }
}

function toCustomerOrder(execution: WorkflowExecutionInfo, customerId: string): CustomerOrder[] {
  const attributes = execution.typedSearchAttributes
  const productId = attributes.get(ORDER_PRODUCT_ID)
  // The query already filtered; checked again because a wrong order shown is worse than one missing.
  if (attributes.get(CUSTOMER_ID) !== customerId || productId === undefined || !getProductById(productId)) return []
  const state = visibleState(execution.status.name, attributes.get(ORDER_STATE))
  const lines = memoLines(execution.memo)
  return [
    {
      orderId: execution.workflowId,
      productId,
      ...(state ? { state } : {}),
      placedAt: execution.startTime.toISOString(),
      ...(lines ? { lines } : {}),
    },
  ]
}
