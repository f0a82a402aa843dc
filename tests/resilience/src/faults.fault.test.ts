import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatReport, runFaultCase, type FaultCaseReport } from './fault-case'
import type { PlannedOrder } from './order-plan'
import { startBreakableStack, type BreakableStack } from './breakable-stack'
import { FAULT_SEED, random } from './random'

/**
 * Nothing is lost and money is right: with payments and notifications failing 70% of the time
 * (the seed's rate), Workers SIGKILLed mid-flight and the Temporal server restarted on its
 * database, every order still ends as its customer and driver should see it, and costs exactly
 * what that ending says: its price if delivered, nothing otherwise. Each case's orders include
 * customers who cancel, operators who cancel at random moments, two drivers racing for one
 * order, an order id used again after its order closed, and carts through the restaurant's step
 * (a share tip, a dish the kitchen ran out of: the customer goes ahead without it, a partial
 * refund, or cancels); one case takes the payment service down for longer than the payment deadline.
 *
 * One dev server (SQLite on disk) and one ledger for the suite; cases run one after another.
 */
const ORDERS_PER_CASE = 30
/**
 * Long enough for a driver to act through a Worker restart or a server restart, short enough for CI.
 * Nobody rates: a delivered order completes when its short rating window closes after the prompt.
 */
const ORDER_WAITS = {
  pickupWindow: 20_000,
  deliveryWindow: 20_000,
  ratingDelay: 6_000,
  ratingWindow: 2_000,
  // A cart's restaurant answers in half a second; these hold through a Worker or server restart.
  acceptDeadline: 20_000,
  shortageDeadline: 15_000,
}

let dir: string
let stack: BreakableStack
const placed: PlannedOrder[] = []
const reports: FaultCaseReport[] = []

beforeAll(async () => {
  console.log(`Fault suite: FAULT_SEED=${FAULT_SEED} (set it to make this run's choices again)`)
  dir = mkdtempSync(join(tmpdir(), 'faults-'))
  stack = await startBreakableStack({ dir, failureRate: 0.7, orderWaits: ORDER_WAITS })
  await stack.startWorker()
})

afterAll(async () => {
  // The figures for the record, whatever happened.
  console.log(`\nFault-injection figures\n${reports.map(formatReport).join('\n')}`)
  await stack?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function expectNothingLost(report: FaultCaseReport): void {
  reports.push(report)
  expect(report.verdict.lost, formatReport(report)).toEqual([])
  expect(report.verdict.ledger.problems, formatReport(report)).toEqual([])
  expect(report.verdict.ledgerFromTemporal.problems, formatReport(report)).toEqual([])
  expect(report.verdict.ledger.doubleCharges).toBe(0)
  expect(report.verdict.ledger.doubleRefunds).toBe(0)
  expect(report.racedOrders).toBeGreaterThan(0)
  expect(report.doubleWins, formatReport(report)).toEqual([])
  expect(stack.unexpectedExits).toEqual([])
}

describe('nothing is lost', () => {
  it('when the Worker is SIGKILLed during a charge, while waiting for pickup and in the post-delivery sleep', async () => {
    const report = await runFaultCase(stack, {
      name: 'Worker SIGKILL + fresh Worker',
      orders: ORDERS_PER_CASE,
      placedBefore: placed,
      async inject({ stack, record, untilOrdersAre }) {
        const aims = [
          ['charging', 5],
          ['waitingForPickup', 2],
          ['ratingSleep', 1],
        ] as const
        for (const [phase, count] of aims) {
          await untilOrdersAre(phase, count)
          const [worker] = stack.workers
          await record(`SIGKILL Worker ${worker!.process.pid} (aimed at: ${phase})`)
          await stack.killWorker(worker!)
          // The fault is the gap: for a moment no Worker at all, as after a real crash.
          await delay(500 + random() * 1_500)
          await stack.startWorker()
        }
      },
    })
    expectNothingLost(report)
    expect(report.faults).toHaveLength(3)
  })

  it('when the Temporal server restarts on the same database while orders are in flight', async () => {
    const report = await runFaultCase(stack, {
      name: 'Temporal dev server restart',
      orders: ORDERS_PER_CASE,
      placedBefore: placed,
      // Seen once in a loaded run: a charge in flight across the restart got no answer within its
      // two minutes. The order then ends as the payment deadline says, nothing charged; allowed,
      // and counted in the figures, so that it is seen.
      endings: { paymentMayTimeOut: true },
      async inject({ stack, record, untilOrdersAre }) {
        for (const [phase, count] of [
          ['charging', 5],
          ['waitingForPickup', 2],
        ] as const) {
          await untilOrdersAre(phase, count)
          await record(`restart the Temporal server (aimed at: ${phase})`)
          await stack.restartServer()
        }
      },
    })
    expectNothingLost(report)
    expect(report.faults).toHaveLength(2)
  })

  it('when one of two Workers is SIGKILLed mid-run and the other carries on alone', async () => {
    await stack.startWorker()
    expect(stack.workers).toHaveLength(2)
    const report = await runFaultCase(stack, {
      name: 'two Workers, one SIGKILLed',
      orders: ORDERS_PER_CASE,
      placedBefore: placed,
      async inject({ stack, record, untilOrdersAre }) {
        await untilOrdersAre('waitingForPickup', 2)
        await delay(random() * 3_000)
        const victim = stack.workers[Math.floor(random() * stack.workers.length)]!
        await record(`SIGKILL Worker ${victim.process.pid} of 2`)
        await stack.killWorker(victim)
      },
    })
    expectNothingLost(report)
    expect(stack.workers).toHaveLength(1)
  })

  it('when the payment service is down longer than the payment deadline: those orders fail with nothing charged', async () => {
    const deadlineMs = 8_000
    const report = await runFaultCase(stack, {
      name: 'payment outage past the deadline',
      orders: 20,
      placedBefore: placed,
      api: stack.apiWith({ ...ORDER_WAITS, paymentDeadline: deadlineMs }),
      // With an 8 s deadline, some charges time out even at the seed's 70% failure rate.
      endings: { paymentMayTimeOut: true },
      async inject({ stack, record, untilOrdersAre }) {
        await untilOrdersAre('charging', 3)
        // Every payment call fails: half before the service acts, half after (charged, answer lost).
        const [worker] = stack.workers
        await record(
          `payment service down (PAYMENT_FAILURE_RATE=1) for ${(deadlineMs * 1.5) / 1000} s, via a Worker SIGKILL and restart`,
        )
        await stack.killWorker(worker!)
        await stack.startWorker({ PAYMENT_FAILURE_RATE: '1' })
        // The outage itself, not a wait for something: it lasts past the payment deadline.
        await delay(deadlineMs * 1.5)
        const [down] = stack.workers
        await record('payment service back (0.7), via a Worker SIGKILL and restart')
        await stack.killWorker(down!)
        await stack.startWorker()
      },
    })
    expectNothingLost(report)
    expect(report.verdict.endings['Payment not confirmed'], formatReport(report)).toBeGreaterThan(0)
  })
})
