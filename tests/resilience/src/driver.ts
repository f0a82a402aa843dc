import { setTimeout as delay } from 'node:timers/promises'
import type { Client } from '@temporalio/client'
import { isFinalState } from '@durable-delivery/common'
import type { OrderWaits } from '@durable-delivery/common'
import { getProductById } from '@durable-delivery/common'
import type { PlannedOrder } from './order-plan'
import { SUITE_CUSTOMER, type Api } from './breakable-stack'
import { trpcCode } from './trpc-code'
import { random } from './random'

/**
 * A simulated driver for one order, acting only through the tRPC API as the driver portal does:
 * it watches the order, presses "Picked up" once it is Paid and "Delivered" once it is picked
 * up, as far as its planned behaviour goes. Errors from a struggling system (server restarting,
 * Worker gone, another driver first) are what a real driver would see; it tries again.
 */
export interface DriverOutcome {
  pickedUp: boolean
  delivered: boolean
  /** Pickups the API answered with success (of two racing drivers, exactly one may win). */
  pickupsWon: number
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

export async function driveOrder(
  api: Api,
  order: Pick<PlannedOrder, 'orderId' | 'driver' | 'cart'>,
  options: DriverOptions,
): Promise<DriverOutcome> {
  // A cart can be collected once the restaurant has it ready; the seed's dish once it is paid.
  const collectable = order.cart ? 'Ready' : 'Paid'
  const outcome: DriverOutcome = { pickedUp: false, delivered: false, pickupsWon: 0, retries: 0, errors: {} }
  const wantsPickup = order.driver !== 'never-picks-up' && order.driver !== 'customer-cancels'
  const wantsDelivery =
    order.driver !== 'never-picks-up' && order.driver !== 'never-delivers' && order.driver !== 'customer-cancels'
  const pollMs = options.pollMs ?? 500
  while (Date.now() < options.deadline) {
    const done = wantsDelivery ? outcome.delivered : wantsPickup ? outcome.pickedUp : true
    if (done) return outcome
    try {
      const { state } = await api.order.getOrderStatus(order.orderId)
      if (isFinalState(state)) return outcome
      if (state === collectable && !outcome.pickedUp) {
        await api.driverList.pickUp(order.orderId)
        outcome.pickedUp = true
        outcome.pickupsWon += 1
        continue
      }
      if (state === 'Picked up') {
        // A pickup whose answer was lost (server restarting), or another driver's: the state says so.
        outcome.pickedUp = true
        if (wantsDelivery) {
          await api.driverList.deliver(order.orderId)
          outcome.delivered = true
          continue
        }
      }
    } catch (error) {
      // Anything but an API error is a bug in this simulation, not a fault of the system.
      count(outcome, error)
    }
    await delay(pollMs / 2 + random() * pollMs)
  }
  return outcome
}

function count(outcome: Pick<DriverOutcome, 'retries' | 'errors'>, error: unknown): void {
  const code = trpcCode(error)
  if (code === undefined) throw error
  outcome.retries += 1
  outcome.errors[code] = (outcome.errors[code] ?? 0) + 1
}

/** Where the simulated people act: the API, and (for operators and CLI users) the Temporal Client. */
export interface World {
  api: Api
  client: Client
  taskQueue: string
  /** The options the API gives every order, for runs an operator starts by hand. */
  orderWaits: OrderWaits
}

/**
 * Everything that happens to one planned order after it is placed: its driver (or two racing
 * drivers), a customer who cancels, an operator who cancels at a random moment, and the id used
 * again once the order has closed.
 */
export async function simulateOrder(
  world: World,
  order: PlannedOrder,
  options: DriverOptions,
): Promise<DriverOutcome[]> {
  const { api } = world
  if (order.driver === 'customer-cancels') return [await customerCancels(api, order, options)]
  if (order.cart?.shortage) {
    const [customer, driver] = await Promise.all([
      answersShortage(api, order, order.cart.shortage, options),
      driveOrder(api, order, options),
    ])
    return [customer, driver]
  }
  if (order.driver === 'two-drivers') {
    return Promise.all([driveOrder(api, order, options), driveOrder(api, order, options)])
  }
  const operator = order.driver === 'operator-cancels' ? operatorCancels(world, order, options) : Promise.resolve()
  const outcomes = [await driveOrder(api, order, options)]
  await operator
  if (order.reusedFor !== undefined) outcomes.push(await reuse(world, order, options))
  return outcomes
}

/** The menu's Cancel button, pressed once the order is placed (while charging or paid). */
async function customerCancels(api: Api, order: PlannedOrder, options: DriverOptions): Promise<DriverOutcome> {
  const outcome: DriverOutcome = { pickedUp: false, delivered: false, pickupsWon: 0, retries: 0, errors: {} }
  await delay(random() * 2_000)
  while (Date.now() < options.deadline) {
    try {
      const { state } = await api.order.getOrderStatus(order.orderId)
      if (isFinalState(state) || state === 'Refunding') return outcome
      await api.order.cancelOrder({ orderId: order.orderId, reason: 'changed my mind' })
      return outcome
    } catch (error) {
      count(outcome, error)
    }
    await delay(250 + random() * 500)
  }
  return outcome
}

/**
 * The customer of a cart the restaurant is short of: once the menu asks (the status carries the
 * shortage and its deadline), presses Go ahead or Cancel. An answer lost to a struggling system
 * is sent again while the question is open; past its deadline the order goes ahead by itself.
 */
async function answersShortage(
  api: Api,
  order: PlannedOrder,
  answer: 'goes ahead' | 'cancels',
  options: DriverOptions,
): Promise<DriverOutcome> {
  const outcome: DriverOutcome = { pickedUp: false, delivered: false, pickupsWon: 0, retries: 0, errors: {} }
  while (Date.now() < options.deadline) {
    try {
      const status = await api.order.getOrderStatus(order.orderId)
      if (isFinalState(status.state) || status.shortage?.outcome !== undefined) return outcome
      if (status.shortage?.deadline !== undefined) {
        await api.order.answerShortage({ orderId: order.orderId, goAhead: answer === 'goes ahead' })
        return outcome
      }
    } catch (error) {
      count(outcome, error)
    }
    await delay(250 + random() * 500)
  }
  return outcome
}

/** An operator presses Cancel in the Web UI at a random moment of the order's life (0-8 s in). */
async function operatorCancels(world: World, order: PlannedOrder, options: DriverOptions): Promise<void> {
  await delay(random() * 8_000)
  while (Date.now() < options.deadline) {
    try {
      await world.client.workflow.getHandle(order.orderId).cancel()
      return
    } catch {
      // Closed already (the cancel came too late to matter), or the server is restarting: try again.
      const description = await world.client.workflow
        .getHandle(order.orderId)
        .describe()
        .catch(() => undefined)
      if (description && description.status.name !== 'RUNNING') return
    }
    await delay(500)
  }
}

/**
 * Once the order has closed, its id is started again as the CLI would, for another dish, and delivered.
 * Like a CLI user, it names the customer in the options alone: the workflow sets the CustomerId
 * search attribute itself, so the suite's customer (the API's caller) can see and follow the order.
 */
async function reuse(world: World, order: PlannedOrder, options: DriverOptions): Promise<DriverOutcome> {
  const dish = getProductById(order.reusedFor!)!
  const handle = world.client.workflow.getHandle(order.orderId)
  let first: string | undefined
  while (first === undefined || order.runs.length < 2) {
    if (Date.now() > options.deadline)
      throw new Error(`order ${order.orderId}: its id was not used again before the deadline`)
    try {
      const description = await handle.describe()
      if (first === undefined) {
        if (description.status.name !== 'RUNNING') {
          first = description.runId
          order.runs.splice(0, order.runs.length, first)
        }
      } else if (description.runId !== first) {
        order.runs.push(description.runId) // started, though the answer was lost
      } else {
        const started = await world.client.workflow.start('order', {
          workflowId: order.orderId,
          taskQueue: world.taskQueue,
          args: [dish.id, { ...world.orderWaits, cents: dish.cents, customerId: SUITE_CUSTOMER }],
        })
        order.runs.push(started.firstExecutionRunId)
      }
    } catch {
      // The server is restarting: look again.
    }
    if (order.runs.length < 2) await delay(500)
  }
  return driveOrder(world.api, { orderId: order.orderId, driver: 'delivers' }, options)
}
