import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApplicationFailure } from '@temporalio/common'
import { MockActivityEnvironment } from '@temporalio/testing'
import { getProductById, type Product } from '@durable-delivery/common'
import { createActivities } from './activities'
import { Ledger } from './ledger'
import { NotificationService, PaymentService, TransientServiceError } from './services'

/**
 * The activities as Temporal runs them (MockActivityEnvironment supplies the activity context):
 * which failures Temporal will retry, and that retries of one order's calls act once.
 */
let ledger: Ledger
let roll: number
let activities: ReturnType<typeof createActivities>

beforeEach(() => {
  ledger = new Ledger(':memory:')
  roll = 0.99 // below 0.7 the simulated call fails transiently
  const random = () => roll
  activities = createActivities({
    payments: new PaymentService(ledger, { failureRate: 0.7, random }),
    notifications: new NotificationService(ledger, { failureRate: 0.7, random }),
  })
})
afterEach(() => ledger.close())

const burrata = getProductById(2)!
const swordfish = getProductById(1)!

/** The activities as they run for activity `activityId` of order `orderId`. */
function inOrder(orderId: string, activityId = '1') {
  const env = new MockActivityEnvironment({
    workflowExecution: { workflowId: orderId, runId: 'run-1' },
    activityId,
  })
  return {
    charge: (product: Product) => env.run((p: Product) => activities.chargeCustomer(p), product),
    refund: (product: Product, options?: { paymentId?: string; ifCharged?: boolean }) =>
      env.run((p: Product, o?: typeof options) => activities.refundOrder(p, o), product, options),
    chargeRun: (product: Product, paymentId: string) =>
      env.run((p: Product, o: { paymentId: string }) => activities.chargeCustomer(p, o), product, { paymentId }),
    notify: (message: string) => env.run((m: string) => activities.sendPushNotification(m), message),
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the activity to fail'),
    (error: unknown) => error,
  )
}

describe('chargeCustomer', () => {
  it('charges the dish price once, however often Temporal retries it', async () => {
    await inOrder('order-a').charge(burrata)
    await inOrder('order-a').charge(burrata)
    expect(ledger.payments('order-a').map(({ kind, cents }) => ({ kind, cents }))).toEqual([
      { kind: 'charge', cents: 2000 },
    ])
  })

  it('throws a plain (retryable) error when the payment service fails transiently', async () => {
    roll = 0.1
    const error = await rejection(inOrder('order-b').charge(burrata))
    expect(error).toBeInstanceOf(TransientServiceError)
    expect(error).not.toBeInstanceOf(ApplicationFailure)
    expect(ledger.payments('order-b')).toEqual([])
  })

  it('charges once when the first attempt charged but its response was lost', async () => {
    roll = 0.5 // the service charges, then the response is lost
    expect(await rejection(inOrder('order-c').charge(burrata))).toBeInstanceOf(TransientServiceError)
    roll = 0.99
    await inOrder('order-c').charge(burrata)
    expect(ledger.payments('order-c')).toHaveLength(1)
  })

  it('turns a card decline into a non-retryable CardDeclined failure', async () => {
    const error = await rejection(inOrder('order-d').charge(swordfish))
    expect(error).toBeInstanceOf(ApplicationFailure)
    expect(error).toMatchObject({
      type: 'CardDeclined',
      nonRetryable: true,
      message: 'Card declined: insufficient funds',
    })
    expect(ledger.payments('order-d')).toEqual([])
  })

  it('keeps orders apart: each order id is its own idempotency key', async () => {
    await inOrder('order-e').charge(burrata)
    await inOrder('order-f').charge(burrata)
    expect(ledger.payments().map((entry) => entry.orderId)).toEqual(['order-e', 'order-f'])
  })
})

describe('refundOrder', () => {
  it('refunds what was charged, once', async () => {
    await inOrder('order-g').charge(burrata)
    await inOrder('order-g').refund(burrata)
    await inOrder('order-g').refund(burrata)
    expect(ledger.payments('order-g').map(({ kind, cents }) => ({ kind, cents }))).toEqual([
      { kind: 'charge', cents: 2000 },
      { kind: 'refund', cents: 2000 },
    ])
  })

  it('charges an order id used again under its own payment id: a new order is a new charge', async () => {
    await inOrder('order-k').chargeRun(burrata, 'run-1')
    await inOrder('order-k').chargeRun(burrata, 'run-2')
    await inOrder('order-k').chargeRun(burrata, 'run-2')
    expect(ledger.payments('order-k').map(({ idempotencyKey }) => idempotencyKey)).toEqual([
      'order-k:run-1:charge',
      'order-k:run-2:charge',
    ])
    expect(await inOrder('order-k').refund(burrata, { paymentId: 'run-2' })).toBe('refunded')
    expect(ledger.payments('order-k').at(-1)).toMatchObject({ kind: 'refund', paymentId: 'run-2', cents: 2000 })
  })

  it('turns a key reused for another amount into a non-retryable IdempotencyKeyReused failure', async () => {
    await inOrder('order-l').chargeRun(burrata, 'run-1')
    const error = await rejection(inOrder('order-l').chargeRun({ ...burrata, cents: 1900 }, 'run-1'))
    expect(error).toMatchObject({ type: 'IdempotencyKeyReused', nonRetryable: true })
  })

  it('answers "nothing to refund" when the order does not know it was charged and was not', async () => {
    expect(await inOrder('order-m').refund(burrata, { paymentId: 'run-1', ifCharged: true })).toBe('nothing to refund')
  })

  it('refuses, without retries, to refund an order that was never charged', async () => {
    const error = await rejection(inOrder('order-h').refund(burrata))
    expect(error).toMatchObject({ type: 'RefundRejected', nonRetryable: true })
    expect(ledger.payments('order-h')).toEqual([])
  })
})

describe('sendPushNotification', () => {
  it('delivers each notification of an order once, even when retried', async () => {
    await inOrder('order-i', '3').notify('🚗 Order picked up')
    await inOrder('order-i', '3').notify('🚗 Order picked up')
    await inOrder('order-i', '5').notify('✅ Order delivered!')
    expect(ledger.notifications('order-i').map((entry) => entry.message)).toEqual([
      '🚗 Order picked up',
      '✅ Order delivered!',
    ])
  })

  it('throws a retryable error when the notification service fails transiently', async () => {
    roll = 0.2
    expect(await rejection(inOrder('order-j').notify('hello'))).toBeInstanceOf(TransientServiceError)
    expect(ledger.notifications('order-j')).toEqual([])
  })
})
