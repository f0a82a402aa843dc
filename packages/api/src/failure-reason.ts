import type { Client } from '@temporalio/client'

/** HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT: fetch only the event that closed the execution. */
const CLOSE_EVENT = 2

/**
 * Why a closed order failed, in the words of the workflow ("Failed to charge customer for
 * Swordfish. Error: Card declined: insufficient funds"), read from its closing event. Undefined if
 * the history cannot say.
 */
export async function failureReason(client: Client, orderId: string): Promise<string | undefined> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: orderId },
    historyEventFilterType: CLOSE_EVENT,
  })
  const event = history?.events?.at(-1)
  if (!event) return undefined
  if (event.workflowExecutionFailedEventAttributes) {
    return event.workflowExecutionFailedEventAttributes.failure?.message ?? 'The order failed'
  }
  if (event.workflowExecutionTerminatedEventAttributes) {
    const reason = event.workflowExecutionTerminatedEventAttributes.reason
    return reason ? `Stopped by an operator: ${reason}` : 'Stopped by an operator'
  }
  if (event.workflowExecutionTimedOutEventAttributes) return 'The order timed out'
  if (event.workflowExecutionCanceledEventAttributes) return 'The order was cancelled'
  return undefined
}
