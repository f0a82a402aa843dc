import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Ledger } from './ledger'
import { checkLedger } from './ledger-check'
import { IdempotencyKeyReusedError } from './ledger'
import {
  PaymentDeclinedError,
  PaymentService,
  PaymentVoidedError,
  RefundRejectedError,
  TransientServiceError,
} from './services'

/**
 * Exactly-once money at the service boundary: whatever the network does to a call, retrying it
 * with the same idempotency key moves money at most once, and refunds need a charge.
 */
let dir: string
let ledger: Ledger

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ledger-'))
  ledger = new Ledger(join(dir, 'ledger.sqlite'))
})
afterEach(() => {
  ledger.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Rolls that fail before the work, after the work (the response is lost), then succeed. */
const FAIL_BEFORE = 0.1
const FAIL_AFTER = 0.5
const SUCCEED = 0.9
function rolls(...values: number[]): () => number {
  return () => {
    const next = values.shift()
    if (next === undefined) throw new Error('test ran out of rolls')
    return next
  }
}

const charge = { orderId: 'order-1', cents: 2000, idempotencyKey: 'order-1:charge' }
const refund = { orderId: 'order-1', idempotencyKey: 'order-1:refund' }

describe('PaymentService', () => {
  it('charges once when the first response is lost and the call is retried with the same key', async () => {
    const payments = new PaymentService(ledger, { failureRate: 0.7, random: rolls(FAIL_BEFORE, FAIL_AFTER, SUCCEED) })
    await expect(payments.charge(charge)).rejects.toThrow(TransientServiceError)
    await expect(payments.charge(charge)).rejects.toThrow('timed out')
    // The retry that finally gets an answer learns the charge was already made.
    await expect(payments.charge(charge)).resolves.toBe(false)
    expect(ledger.payments('order-1')).toMatchObject([
      { kind: 'charge', cents: 2000, idempotencyKey: 'order-1:charge' },
    ])
  })

  it('refunds a charged order once however often the refund is retried', async () => {
    const payments = new PaymentService(ledger, {
      failureRate: 0.7,
      random: rolls(SUCCEED, FAIL_AFTER, FAIL_AFTER, SUCCEED, SUCCEED),
    })
    await payments.charge(charge)
    await expect(payments.refund(refund)).rejects.toThrow('timed out')
    await expect(payments.refund(refund)).rejects.toThrow('timed out')
    await expect(payments.refund(refund)).resolves.toBe('already refunded')
    await expect(payments.refund(refund)).resolves.toBe('already refunded')
    expect(ledger.payments('order-1').map((entry) => [entry.kind, entry.cents])).toEqual([
      ['charge', 2000],
      ['refund', 2000],
    ])
  })

  it('refuses to refund an order that was never charged, and records nothing', async () => {
    const payments = new PaymentService(ledger, { failureRate: 0 })
    await expect(payments.refund(refund)).rejects.toThrow(RefundRejectedError)
    expect(ledger.payments()).toEqual([])
  })

  it('answers a refund "if charged" of a never-charged payment with nothing to refund, and voids it: a late charge is refused', async () => {
    const payments = new PaymentService(ledger, { failureRate: 0 })
    const voided = { ...refund, paymentId: 'run-1', idempotencyKey: 'order-1:run-1:refund', ifCharged: true }
    await expect(payments.refund(voided)).resolves.toBe('nothing to refund')
    await expect(payments.refund(voided)).resolves.toBe('nothing to refund')
    await expect(
      payments.charge({ ...charge, paymentId: 'run-1', idempotencyKey: 'order-1:run-1:charge' }),
    ).rejects.toThrow(PaymentVoidedError)
    expect(ledger.payments().map((entry) => [entry.kind, entry.cents])).toEqual([['refund', 0]])
  })

  it('refuses, loudly, an idempotency key reused for another amount', async () => {
    const payments = new PaymentService(ledger, { failureRate: 0 })
    await payments.charge(charge)
    await expect(payments.charge({ ...charge, cents: 1500 })).rejects.toThrow(IdempotencyKeyReusedError)
    await expect(payments.charge({ ...charge, cents: 1500 })).rejects.toThrow(/already used for a charge of 2000 cents/)
    expect(ledger.payments()).toHaveLength(1)
  })

  it('keeps a ledger written before payment ids: the column is added, old entries read as they were', async () => {
    ledger.close()
    const path = join(dir, 'old.sqlite')
    const Database = (await import('better-sqlite3')).default
    const old = new Database(path)
    old.exec(`CREATE TABLE payments (idempotency_key TEXT PRIMARY KEY, kind TEXT NOT NULL, order_id TEXT NOT NULL, cents INTEGER NOT NULL, at TEXT NOT NULL);
      INSERT INTO payments VALUES ('order-1:charge', 'charge', 'order-1', 2000, '2026-01-01T00:00:00.000Z');`)
    old.close()
    ledger = new Ledger(path)
    expect(ledger.payments()).toEqual([
      {
        idempotencyKey: 'order-1:charge',
        kind: 'charge',
        orderId: 'order-1',
        cents: 2000,
        at: '2026-01-01T00:00:00.000Z',
      },
    ])
    // An order placed before payment ids refunds under its old key.
    await expect(new PaymentService(ledger, { failureRate: 0 }).refund(refund)).resolves.toBe('refunded')
  })

  it('declines a dish of $35 or more without charging it', async () => {
    const payments = new PaymentService(ledger, { failureRate: 0 })
    await expect(payments.charge({ ...charge, cents: 3500 })).rejects.toThrow(PaymentDeclinedError)
    expect(ledger.payments()).toEqual([])
  })

  it('charges once when two Worker processes race on the same key (two connections to one file)', async () => {
    const other = new Ledger(join(dir, 'ledger.sqlite'))
    try {
      const results = await Promise.all([
        new PaymentService(ledger, { failureRate: 0 }).charge(charge),
        new PaymentService(other, { failureRate: 0 }).charge(charge),
      ])
      expect(results.sort()).toEqual([false, true])
      expect(other.payments()).toHaveLength(1)
    } finally {
      other.close()
    }
  })

  it('keeps its ledger across a restart of the service (the file is the book of record)', async () => {
    await new PaymentService(ledger, { failureRate: 0 }).charge(charge)
    ledger.close()
    ledger = new Ledger(join(dir, 'ledger.sqlite'))
    await expect(new PaymentService(ledger, { failureRate: 0 }).charge(charge)).resolves.toBe(false)
    expect(checkLedger(ledger.payments(), new Map([['order-1', { netCents: 2000, priceCents: 2000 }]]))).toMatchObject({
      ok: true,
      charged: 1,
    })
  })
})
