import type { PlannedOrder } from './order-plan'
import type { Client } from '@temporalio/client'
import { ORDER_STATE } from '@durable-delivery/common/search-attributes'

/**
 * Where the orders are in their story at one moment, as visibility lists them: the fault
 * suite records this at each kill or restart, to show what the fault interrupted.
 */
export interface Phases {
  charging: number
  /** Paid, or a cart at the restaurant (accepting, preparing, ready), not yet collected. */
  waitingForPickup: number
  pickedUp: number
  /** Delivered, the workflow still sleeping before it asks for a rating. */
  ratingSleep: number
  refunding: number
  closed: number
}

export type Phase = keyof Phases

export async function phasesOf(client: Client, orders: readonly PlannedOrder[]): Promise<Phases> {
  const mine = new Set(orders.map((order) => order.orderId))
  const phases: Phases = { charging: 0, waitingForPickup: 0, pickedUp: 0, ratingSleep: 0, refunding: 0, closed: 0 }
  for await (const execution of client.workflow.list({ query: `WorkflowType = 'order'` })) {
    if (!mine.has(execution.workflowId)) continue
    const state = execution.typedSearchAttributes.get(ORDER_STATE)
    if (execution.closeTime) phases.closed += 1
    else if (state === 'Charging card') phases.charging += 1
    else if (state === 'Paid' || state === 'Preparing' || state === 'Ready') phases.waitingForPickup += 1
    else if (state === 'Picked up') phases.pickedUp += 1
    else if (state === 'Delivered') phases.ratingSleep += 1
    else if (state === 'Refunding') phases.refunding += 1
  }
  return phases
}

export function describePhases(phases: Phases): string {
  return (Object.entries(phases) as Array<[Phase, number]>).map(([phase, count]) => `${phase} ${count}`).join(', ')
}
