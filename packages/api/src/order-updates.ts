import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client'
import { TRPCError } from '@trpc/server'
import { ORDER_STATE } from '@durable-delivery/common/search-attributes'
import { visibleState } from './read-model/order-view'
import { isCustomersOrder, noSuchOrder } from './ownership'
import { grpcCode } from './temporal-errors'

/** gRPC NOT_FOUND: an Update sent to an execution that has closed meanwhile. */
const NOT_FOUND = 5

/**
 * Sends an Update to a running order and returns the workflow's answer. The workflow's validator
 * decides (one step, so of two racing callers exactly one wins); its refusal becomes
 * PRECONDITION_FAILED with the workflow's own sentence. An unknown order is NOT_FOUND, a closed
 * one PRECONDITION_FAILED. With no Worker running, nothing answers: the caller's deadline turns
 * that into SERVICE_UNAVAILABLE (withTemporal). With `customerId`, another customer's order is
 * NOT_FOUND, word for word as an unknown one: whether an id exists is nobody else's business.
 */
export async function updateOrder<R>(
  client: Client,
  orderId: string,
  /** "picked up", "delivered", "cancelled": for messages. */
  verb: string,
  send: (handle: WorkflowHandle) => Promise<R>,
  customerId?: string,
): Promise<R> {
  const handle = client.workflow.getHandle(orderId)
  const description = await handle.describe()
  if (!isCustomersOrder(description, customerId)) throw noSuchOrder(orderId)
  if (description.status.name !== 'RUNNING') {
    const state = visibleState(description.status.name, description.typedSearchAttributes.get(ORDER_STATE)) ?? 'Failed'
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `Order ${orderId} is closed (${state}): it cannot be ${verb} any more`,
    })
  }
  try {
    return await send(handle)
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      const reason = error.cause?.message ?? error.message
      throw new TRPCError({ code: 'PRECONDITION_FAILED', message: `Order ${orderId}: ${reason}`, cause: error })
    }
    if (error instanceof WorkflowNotFoundError || grpcCode(error) === NOT_FOUND) {
      throw new TRPCError({
        code: 'PRECONDITION_FAILED',
        message: `Order ${orderId} has just closed: it cannot be ${verb} any more`,
        cause: error,
      })
    }
    throw error
  }
}
