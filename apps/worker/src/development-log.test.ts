import { describe, expect, it } from 'vitest'
import { ApplicationFailure } from '@temporalio/common'
import { chargeAttempt, chargeFailure } from './activity-log.fixture'
import { developmentLine } from './development-log'

describe('development log lines', () => {
  it('a retried activity failure: which activity of which order, which attempt, when the next, and why', () => {
    expect(developmentLine('Activity failed', chargeFailure(2000))).toBe(
      'chargeCustomer for order order-7 failed (attempt 2, retrying in 2s): Payment service timed out',
    )
    expect(developmentLine('Activity failed', chargeFailure(1500))).toContain('retrying in 1.5s')
    const retriedBug = developmentLine('Activity failed', chargeFailure(2000, new TypeError('ledger is undefined')))
    expect(retriedBug).toMatch(/retrying in 2s\): TypeError: ledger is undefined\n\s+at /)
  })

  it('a failure that is not retried says so; a deliberate one by its message, an unexpected one with its stack', () => {
    const declined = ApplicationFailure.nonRetryable('Card declined: insufficient funds', 'CardDeclined')
    expect(developmentLine('Activity failed', chargeFailure(null, declined))).toBe(
      'chargeCustomer for order order-7 failed (attempt 2, not retried): Card declined: insufficient funds (CardDeclined)',
    )
    const bug = developmentLine('Activity failed', chargeFailure(null, new TypeError('ledger is undefined')))
    expect(bug).toMatch(
      /^chargeCustomer for order order-7 failed \(attempt 2, not retried\): TypeError: ledger is undefined\n\s+at /,
    )
  })

  it("an activity's own log: its message, the activity and order, and only the fields our code added", () => {
    expect(developmentLine('Charged customer', { ...chargeAttempt, paymentId: 'p1', cents: 2000 })).toBe(
      "Charged customer (chargeCustomer for order order-7, attempt 2) { paymentId: 'p1', cents: 2000 }",
    )
  })

  it("a workflow's ending: the order and the failure's message, without the workflow code's stack", () => {
    // As it reaches the Worker's thread from the workflow's: a structured clone, a plain Error.
    const ending = structuredClone(ApplicationFailure.create({ message: 'Not picked up in time' }))
    const meta = { sdkComponent: 'worker', workflowId: 'order-7', runId: 'r', workflowType: 'order', error: ending }
    expect(developmentLine('Workflow failed', meta)).toBe(
      "Workflow failed (order order-7) { error: 'Not picked up in time' }",
    )
  })

  it("the Worker's own logs keep their fields on the same line", () => {
    expect(developmentLine('Worker state changed', { sdkComponent: 'worker', taskQueue: 'q', state: 'RUNNING' })).toBe(
      "Worker state changed { state: 'RUNNING' }",
    )
    expect(developmentLine('Worker ready', undefined)).toBe('Worker ready')
  })
})
