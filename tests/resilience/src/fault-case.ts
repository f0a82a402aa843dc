import { setTimeout as delay } from 'node:timers/promises'
import { waitFor } from '@durable-delivery/test-harness'
import { planOrders, type EndingOptions, type PlannedOrder } from './order-plan'
import { describePhases, phasesOf, type Phase } from './phases'
import { startOrders } from './run-orders'
import type { BreakableStack } from './breakable-stack'
import type { Api } from './breakable-stack'
import { awaitClosed, verifyOrders, type Verdict } from './verify'
import { random } from './random'

/**
 * One fault-injection case: orders flow in while `inject` breaks things, then every order must
 * end as planned and the ledger must hold exactly the money those endings imply.
 */
export interface FaultCaseReport {
  name: string
  ordersInFlight: number
  /** Orders of this and the earlier cases, all checked against the one ledger. */
  placedSoFar: number
  /** One line per fault injected, with where the orders were at that moment. */
  faults: string[]
  verdict: Verdict
  createRetries: number
  /** Orders two drivers raced for, and those where both were told they won (must be none). */
  racedOrders: number
  doubleWins: string[]
  driverRetries: number
  /** What the drivers' failed calls answered, by tRPC code. */
  driverErrors: Record<string, number>
  seconds: number
}

export interface FaultTools {
  stack: BreakableStack
  orders: readonly PlannedOrder[]
  /** Records a fault with the phases of the orders just before it. */
  record: (what: string) => Promise<void>
  /**
   * Waits until at least `count` orders are in `phase` (so a fault lands there), then a random
   * 0-500 ms more. Gives up quietly after 30 s: the fault then happens wherever the orders are.
   */
  untilOrdersAre: (phase: Phase, count: number) => Promise<void>
}

export interface FaultCaseOptions {
  name: string
  orders: number
  /** All orders of every case so far: the ledger must hold their money and nothing else. */
  placedBefore: PlannedOrder[]
  inject(tools: FaultTools): Promise<void>
  timeoutMs?: number
  /** The API the customers and drivers use (another payment deadline, say); the stack's by default. */
  api?: Api
  /** Endings a fault may rightly lead to, beyond the plan's. */
  endings?: EndingOptions
}

export async function runFaultCase(stack: BreakableStack, options: FaultCaseOptions): Promise<FaultCaseReport> {
  const started = Date.now()
  // Carts tell the customer three more things, each through a service failing 70% of the time:
  // the slowest of 30 orders can take three minutes to close.
  const timeoutMs = options.timeoutMs ?? 240_000
  const deadline = started + timeoutMs
  const orders = planOrders(options.orders)
  options.placedBefore.push(...orders)
  const faults: string[] = []
  const tools: FaultTools = {
    stack,
    orders,
    async record(what) {
      const phases = await phasesOf(stack.client, orders).then(
        describePhases,
        (error: unknown) => `phases unknown (${String(error)})`,
      )
      const at = ((Date.now() - started) / 1000).toFixed(1)
      faults.push(`t=${at}s ${what} [${phases}]`)
    },
    async untilOrdersAre(phase, count) {
      const check = async () => (await phasesOf(stack.client, orders))[phase] >= count
      await waitFor(`${count} orders in phase ${phase}`, check, 30_000, 200).catch(() => undefined)
      await delay(random() * 500)
    },
  }
  const api = options.api ?? stack.api
  const world = { api, client: stack.client, taskQueue: stack.taskQueue, orderWaits: stack.orderWaits }
  const inFlight = startOrders(world, orders, { arrivalMs: 150, deadline })
  const [injected, settled] = await Promise.allSettled([options.inject(tools), inFlight.settled])
  if (injected.status === 'rejected') throw injected.reason
  if (settled.status === 'rejected') throw settled.reason
  const { drivers, createRetries, racedOrders, doubleWins } = settled.value
  await awaitClosed(stack.client, orders, Math.max(deadline - Date.now(), 10_000))
  const verdict = await verifyOrders(api, stack.client, stack.ledgerPath, orders, options.placedBefore, options.endings)
  return {
    name: options.name,
    ordersInFlight: orders.length,
    placedSoFar: options.placedBefore.length,
    faults,
    verdict,
    createRetries,
    racedOrders,
    doubleWins,
    driverRetries: drivers.reduce((sum, driver) => sum + driver.retries, 0),
    driverErrors: drivers.reduce<Record<string, number>>((all, driver) => {
      for (const [code, count] of Object.entries(driver.errors)) all[code] = (all[code] ?? 0) + count
      return all
    }, {}),
    seconds: Math.round((Date.now() - started) / 1000),
  }
}

export function formatReport(report: FaultCaseReport): string {
  const { verdict } = report
  return [
    `${report.name}: ${report.ordersInFlight} orders in flight, ${report.faults.length} faults, ` +
      `${verdict.lost.length} orders lost, ${verdict.ledger.doubleCharges} double charges, ` +
      `${verdict.ledger.doubleRefunds} double refunds, ledger ${verdict.ledger.ok ? 'ok' : 'WRONG'} per order ` +
      `(${verdict.ledger.charged} charged, ${verdict.ledger.refunded} refunded, ${verdict.ledger.voided} voided of ${report.placedSoFar} orders placed so far; ` +
      `against Temporal alone ${verdict.ledgerFromTemporal.ok ? 'ok' : 'WRONG'}), ` +
      `${report.racedOrders} raced pickups with ${report.doubleWins.length} double wins, ` +
      `${report.createRetries} createOrder retries, ${report.driverRetries} driver retries ${JSON.stringify(report.driverErrors)}, ${report.seconds}s`,
    `  endings: ${JSON.stringify(verdict.endings)}`,
    ...report.faults.map((fault) => `  ${fault}`),
    ...verdict.lost.map(
      (lost) =>
        `  LOST ${lost.orderId} (product ${lost.productId}, ${lost.driver}): expected ${lost.expected}, got ${lost.got}`,
    ),
    ...verdict.ledger.problems.map((problem) => `  LEDGER ${problem}`),
    ...verdict.ledgerFromTemporal.problems.map((problem) => `  LEDGER (from Temporal) ${problem}`),
    ...report.doubleWins.map((orderId) => `  DOUBLE PICKUP ${orderId}`),
  ].join('\n')
}
