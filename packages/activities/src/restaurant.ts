import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client'
import { getProductById, itemCount, type OrderLine } from '@durable-delivery/common'
import type { Ledger, RestaurantOrderEntry } from './ledger'
import { remoteCall, type SimulationOptions } from './services'

/**
 * The simulated restaurant: it receives a cart's order (the `sendOrderToRestaurant` activity),
 * then calls the order back by Update, as a restaurant system's webhook would call our API:
 * `acceptOrder` (or `declineOrder`) after a while, `markReady` once the dishes are cooked. Its
 * order book is in the ledger's SQLite file, so a Worker that crashed resumes the callbacks
 * still to come when it starts again. Each callback has a fixed Update id: sent again after a
 * crash, the server answers the first call's outcome instead of running it twice.
 */
export interface RestaurantOptions extends SimulationOptions {
  /** `auto` answers by itself; `manual` only receives orders: operators answer from the CLI. */
  mode: 'auto' | 'manual'
  /** How long the kitchen takes to accept (or decline) an order. */
  acceptMs: number
  /** How long each item takes to cook once accepted. */
  prepMsPerItem: number
  /** Chance (0-1) that the kitchen declines an order (too busy). */
  declineRate: number
  /** Dishes the kitchen is out of: a cart with one of them and others gets a shortage. */
  soldOut: readonly number[]
}

/** What the kitchen decided on receiving an order, kept with it so a restart does not decide again. */
export interface KitchenPlan {
  decline?: string
  unavailable?: number[]
  readyInMinutes: number
  prepMs: number
}

export interface RestaurantOrderRequest {
  orderId: string
  lines: readonly OrderLine[]
  idempotencyKey: string
  signal?: AbortSignal
}

/** How long a callback that could not reach Temporal waits before it is tried again. */
const RETRY_CALLBACK_MS = 1000

export class SimulatedRestaurant {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = true

  constructor(
    private readonly ledger: Ledger,
    private readonly options: RestaurantOptions,
    /** Absent: the kitchen only receives (tests of the activity alone, `manual` mode). */
    private readonly client?: Client,
  ) {}

  /** Receives an order once per key (a retried send is the same order); resolves true when this call recorded it. */
  receive(request: RestaurantOrderRequest): Promise<boolean> {
    return remoteCall(
      'Restaurant',
      this.options,
      () => {
        const recorded = this.ledger.recordRestaurantOrder({
          idempotencyKey: request.idempotencyKey,
          orderId: request.orderId,
          lines: JSON.stringify(request.lines),
          plan: JSON.stringify(this.plan(request.lines)),
          dueAt: Date.now() + this.options.acceptMs,
        })
        if (recorded) this.wake()
        return recorded
      },
      request.signal,
    )
  }

  /** Decides at once what the kitchen will answer: out of some dishes, too busy, or how long it takes. */
  private plan(lines: readonly OrderLine[]): KitchenPlan {
    const unavailable = lines.map((line) => line.productId).filter((id) => this.options.soldOut.includes(id))
    const kept = lines.filter((line) => !unavailable.includes(line.productId))
    const prepMs = itemCount(kept) * this.options.prepMsPerItem
    const readyInMinutes = Math.max(1, Math.ceil(prepMs / 60_000))
    if (kept.length === 0)
      return { decline: `We are out of ${describeNames(unavailable)} today`, readyInMinutes, prepMs }
    if ((this.options.random ?? Math.random)() < this.options.declineRate)
      return { decline: 'The kitchen is too busy to take your order right now', readyInMinutes, prepMs }
    return { ...(unavailable.length > 0 ? { unavailable } : {}), readyInMinutes, prepMs }
  }

  /** Starts calling back: the orders a previous Worker left pending first. */
  start(): void {
    if (this.options.mode === 'manual' || !this.client) return
    this.stopped = false
    this.wake()
  }

  /** Stops calling back, once the callback in flight (if any) has answered. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** Arms the timer for the soonest callback due. */
  private wake(): void {
    if (this.stopped || this.running) return
    clearTimeout(this.timer)
    const next = this.ledger.restaurantOrders('pending')[0]
    if (!next) return
    this.timer = setTimeout(
      () => {
        this.running = this.callBackDue().finally(() => {
          this.running = undefined
          this.wake()
        })
      },
      Math.max(0, next.dueAt - Date.now()),
    )
  }

  private async callBackDue(): Promise<void> {
    for (const entry of this.ledger.restaurantOrders('pending')) {
      if (this.stopped || entry.dueAt > Date.now()) return
      const [stage, dueAt] = await this.callBack(entry)
      this.ledger.advanceRestaurantOrder(entry.idempotencyKey, stage, dueAt)
    }
  }

  /** One callback: answers where the order goes next and when. */
  private async callBack(entry: RestaurantOrderEntry): Promise<[RestaurantOrderEntry['stage'], number]> {
    const plan = JSON.parse(entry.plan) as KitchenPlan
    const handle = this.client!.workflow.getHandle(entry.orderId)
    try {
      if (entry.stage === 'received') {
        if (plan.decline !== undefined) {
          await handle.executeUpdate('declineOrder', {
            args: [{ reason: plan.decline }],
            updateId: 'restaurant-decline',
          })
          return ['done', 0]
        }
        const answer = {
          readyInMinutes: plan.readyInMinutes,
          ...(plan.unavailable ? { unavailable: plan.unavailable } : {}),
        }
        await handle.executeUpdate('acceptOrder', { args: [answer], updateId: 'restaurant-accept' })
        return ['accepted', Date.now() + plan.prepMs]
      }
      await handle.executeUpdate('markReady', { args: [], updateId: 'restaurant-ready' })
      return ['done', 0]
    } catch (error) {
      // The order refused the callback (cancelled, or already answered): the kitchen is told and stops.
      if (error instanceof WorkflowNotFoundError) return ['done', 0]
      // Refused: the order is cancelled or ended (the kitchen stops), or someone answered for the
      // kitchen (an operator from the CLI): it is then the kitchen's to cook and mark ready.
      if (error instanceof WorkflowUpdateFailedError) {
        return (await this.cooking(entry.orderId))
          ? ['accepted', Date.now() + Math.max(RETRY_CALLBACK_MS, plan.prepMs)]
          : ['done', 0]
      }
      // Temporal could not be reached: the kitchen tries again.
      return [entry.stage, Date.now() + RETRY_CALLBACK_MS]
    }
  }

  /** Whether the order was accepted and is not ready yet: cooking, or a shortage the customer still decides. */
  private async cooking(orderId: string): Promise<boolean> {
    try {
      const status = await this.client!.workflow.getHandle(orderId).query<{
        state: string
        restaurant?: { acceptedAt?: string }
      }>('getStatus')
      return status.state === 'Preparing' || (status.state === 'Paid' && status.restaurant?.acceptedAt !== undefined)
    } catch {
      return false
    }
  }
}

function describeNames(productIds: readonly number[]): string {
  return productIds.map((id) => getProductById(id)?.name ?? String(id)).join(' and ')
}
