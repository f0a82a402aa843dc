import type { PlannedOrder } from './order-plan'
import type { Api } from './stack'

/**
 * Where the orders are in their story at one moment, as the driver portal lists them: the fault
 * suite records this at each kill or restart, to show what the fault interrupted.
 */
export interface Phases {
  charging: number
  waitingForPickup: number
  pickedUp: number
  /** Delivered, the workflow still sleeping before it asks for a rating. */
  ratingSleep: number
  refunding: number
  closed: number
}

export type Phase = keyof Phases

export async function phasesOf(api: Api, orders: readonly PlannedOrder[]): Promise<Phases> {
  const mine = new Set(orders.map((order) => order.orderId))
  const phases: Phases = { charging: 0, waitingForPickup: 0, pickedUp: 0, ratingSleep: 0, refunding: 0, closed: 0 }
  for (const row of await api.delivery.getOrders()) {
    if (!mine.has(row.orderId) || !row.ok) continue
    if (row.closedAt) phases.closed += 1
    else if (row.state === 'Charging card') phases.charging += 1
    else if (row.state === 'Paid') phases.waitingForPickup += 1
    else if (row.state === 'Picked up') phases.pickedUp += 1
    else if (row.state === 'Delivered') phases.ratingSleep += 1
    else if (row.state === 'Refunding') phases.refunding += 1
  }
  return phases
}

export function describePhases(phases: Phases): string {
  return (Object.entries(phases) as Array<[Phase, number]>).map(([phase, count]) => `${phase} ${count}`).join(', ')
}
