import { setTimeout as delay } from 'node:timers/promises'
import type { PlannedOrder } from './order-plan'
import type { Api } from './stack'
import { trpcCode } from './trpc-code'

/**
 * A simulated driver for one order, acting only through the tRPC API as the driver portal does:
 * it watches the order, presses "Picked up" once it is Paid and "Delivered" once it is picked
 * up, as far as its planned behaviour goes. Errors from a struggling system (server restarting,
 * Worker gone, a listing a moment stale) are what a real driver would see; it tries again.
 */
export interface DriverOutcome {
  pickedUp: boolean
  delivered: boolean
  /** Calls that failed and were tried again (SERVICE_UNAVAILABLE, stale state, ...). */
  retries: number
  /** The tRPC codes of those failures, counted. */
  errors: Record<string, number>
}

export interface DriverOptions {
  /** Give up after this moment (epoch ms): the order is then judged as it stands. */
  deadline: number
  /** Pause between looks at the order, jittered so that drivers do not move in lockstep. */
  pollMs?: number
}

export async function driveOrder(api: Api, order: PlannedOrder, options: DriverOptions): Promise<DriverOutcome> {
  const outcome: DriverOutcome = { pickedUp: false, delivered: false, retries: 0, errors: {} }
  const wantsPickup = order.driver !== 'never-picks-up'
  const wantsDelivery = order.driver === 'delivers'
  const pollMs = options.pollMs ?? 500
  while (Date.now() < options.deadline) {
    const done = wantsDelivery ? outcome.delivered : wantsPickup ? outcome.pickedUp : true
    if (done) return outcome
    try {
      const { state } = await api.order.getOrderStatus(order.orderId)
      if (state === 'Failed' || state === 'Delivered') return outcome
      if (state === 'Paid' && !outcome.pickedUp) {
        await api.delivery.pickUp(order.orderId)
        outcome.pickedUp = true
        continue
      }
      if (state === 'Picked up') {
        // A pickup whose answer was lost (server restarting) still happened: the state says so.
        outcome.pickedUp = true
        if (wantsDelivery) {
          await api.delivery.deliver(order.orderId)
          outcome.delivered = true
          continue
        }
      }
    } catch (error) {
      // Anything but an API error is a bug in this simulation, not a fault of the system.
      const code = trpcCode(error)
      if (code === undefined) throw error
      outcome.retries += 1
      outcome.errors[code] = (outcome.errors[code] ?? 0) + 1
    }
    await delay(pollMs / 2 + Math.random() * pollMs)
  }
  return outcome
}
