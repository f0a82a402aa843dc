import type { WorkflowExecutionStatusName } from '@temporalio/client'
import { isOrderState, type OrderState } from '@durable-delivery/common'
import type { InnerContext } from '../context'

/**
 * The state a customer or driver should see. A closed execution that did not complete (failed,
 * terminated, timed out) is `Failed` whatever its last reported state was: an operator may have
 * terminated it in the Web UI before the workflow could say so. A cancelled one says what its
 * compensation ended in (`Cancelled`, or `Delivered` when the cancel came after delivery);
 * `Failed` if it never said (an order cancelled before cancellations were compensated).
 */
export function visibleState(status: WorkflowExecutionStatusName, reported: unknown): OrderState | undefined {
  if (status === 'CANCELLED') return reported === 'Cancelled' || reported === 'Delivered' ? reported : 'Failed'
  if (status === 'FAILED' || status === 'TERMINATED' || status === 'TIMED_OUT') return 'Failed'
  return isOrderState(reported) ? reported : undefined
}

/** The order's page in the Temporal Web UI, only where operator links are on (OPERATOR_LINKS). */
export function webUiLink(ctx: InnerContext, orderId: string): { webUiUrl?: string } {
  if (!ctx.operatorLinks) return {}
  const url = `${ctx.uiUrl}/namespaces/${encodeURIComponent(ctx.namespace)}/workflows/${encodeURIComponent(orderId)}`
  return { webUiUrl: url }
}
