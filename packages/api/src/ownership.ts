import type { WorkflowExecutionDescription } from '@temporalio/client'
import { TRPCError } from '@trpc/server'
import { CUSTOMER_ID } from '@durable-delivery/common/search-attributes'
import { ORDER_WORKFLOW_TYPE } from '@durable-delivery/workflows/definitions'

/**
 * Whether an execution is one of our orders and, given a customer, theirs (its `CustomerId`).
 * Without a customer (drivers, tools), any order is.
 */
export function isCustomersOrder(description: WorkflowExecutionDescription, customerId: string | undefined): boolean {
  const foreign = customerId !== undefined && description.typedSearchAttributes.get(CUSTOMER_ID) !== customerId
  return description.type === ORDER_WORKFLOW_TYPE && !foreign
}

/** An order id that is not this customer's: word for word the answer for an id that does not exist. */
export function noSuchOrder(orderId: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `Order ${orderId}: no such order` })
}
