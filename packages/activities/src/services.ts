import { setTimeout as delay } from 'node:timers/promises'
import type { Ledger, LedgerEntry } from './ledger'

/**
 * Simulations of the payment and push-notification services the order talks to. They behave
 * like real ones where it matters to durable execution: calls fail transiently at a configured
 * rate (sometimes before doing the work, sometimes after, when only the response is lost),
 * idempotency keys are honoured so a retried call never acts twice, and cards get declined.
 */
export class TransientServiceError extends Error {
  override name = 'TransientServiceError'
}

export class PaymentDeclinedError extends Error {
  override name = 'PaymentDeclinedError'
}

export class RefundRejectedError extends Error {
  override name = 'RefundRejectedError'
}

/** A charge under a payment that was already voided (refunded before it was ever charged). */
export class PaymentVoidedError extends Error {
  override name = 'PaymentVoidedError'
}

export interface SimulationOptions {
  /** Chance (0-1) that a call fails transiently. */
  failureRate: number
  /** How long each call takes before it answers, like a network round trip (default 0). */
  latencyMs?: number
  /** Source of randomness; tests pass a fixed sequence. */
  random?: () => number
}

/** The seed's card declines every dish of $35 or more. */
export const DECLINE_AT_CENTS = 3500

/**
 * Runs `work` as a remote call would: half of the failures happen before the service acts, the
 * other half after it acted (the caller cannot tell which, and must retry with the same key).
 */
async function remoteCall<T>(
  service: string,
  options: SimulationOptions,
  work: () => T,
  signal?: AbortSignal,
): Promise<T> {
  // A cancelled call (the Worker shutting down past its grace time) is abandoned, as a real
  // HTTP request would be, before the service acts.
  if (options.latencyMs) await delay(options.latencyMs, undefined, { signal })
  const roll = (options.random ?? Math.random)()
  if (roll < options.failureRate / 2) throw new TransientServiceError(`${service} is unavailable`)
  const result = work()
  if (roll < options.failureRate) throw new TransientServiceError(`${service} timed out`)
  return result
}

/** Aborts the call while it is in flight (with simulated latency). */
interface Abortable {
  signal?: AbortSignal
}

export interface ChargeRequest extends Abortable {
  orderId: string
  /** The order run's payment; absent for orders placed before payments had ids. */
  paymentId?: string
  cents: number
  idempotencyKey: string
}

export interface RefundRequest extends Abortable {
  orderId: string
  paymentId?: string
  idempotencyKey: string
  /**
   * The caller does not know whether the charge went through (its answer never came). Then no
   * charge is a fine answer, and the payment is voided so that a late charge is refused. Without
   * it, a refund of an order the service holds no charge for is refused.
   */
  ifCharged?: boolean
}

/** What a refund did: an order that was never charged is an answer, not an error, when the caller allowed it. */
export type RefundOutcome = 'refunded' | 'already refunded' | 'nothing to refund'

export class PaymentService {
  constructor(
    private readonly ledger: Ledger,
    private readonly options: SimulationOptions,
  ) {}

  /**
   * Charges once per key. Resolves to false when the key had already been charged. A key reused
   * for another amount throws IdempotencyKeyReusedError; a voided payment, PaymentVoidedError.
   */
  charge(request: ChargeRequest): Promise<boolean> {
    return remoteCall(
      'Payment service',
      this.options,
      () => {
        if (request.cents >= DECLINE_AT_CENTS) throw new PaymentDeclinedError('Card declined: insufficient funds')
        return this.ledger.atomically(() => {
          if (this.ledger.findPayment('refund', request.orderId, request.paymentId)) {
            throw new PaymentVoidedError(
              `Payment of order ${request.orderId} was already refunded or voided: it cannot be charged`,
            )
          }
          return this.ledger.recordPayment(entryOf('charge', request, request.cents))
        })
      },
      request.signal,
    )
  }

  /** Refunds what was charged for the order's payment, once per key. See RefundRequest.ifCharged. */
  refund(request: RefundRequest): Promise<RefundOutcome> {
    return remoteCall(
      'Payment service',
      this.options,
      () =>
        this.ledger.atomically((): RefundOutcome => {
          const charge = this.ledger.findPayment('charge', request.orderId, request.paymentId)
          if (!charge && !request.ifCharged)
            throw new RefundRejectedError(`No charge to refund for order ${request.orderId}`)
          const recorded = this.ledger.recordPayment(entryOf('refund', request, charge?.cents ?? 0))
          if (!charge) return 'nothing to refund'
          return recorded ? 'refunded' : 'already refunded'
        }),
      request.signal,
    )
  }
}

function entryOf(
  kind: LedgerEntry['kind'],
  request: ChargeRequest | RefundRequest,
  cents: number,
): Omit<LedgerEntry, 'at'> {
  const { orderId, paymentId, idempotencyKey } = request
  return { kind, orderId, ...(paymentId === undefined ? {} : { paymentId }), cents, idempotencyKey }
}

export interface PushRequest extends Abortable {
  orderId: string
  message: string
  idempotencyKey: string
}

export class NotificationService {
  constructor(
    private readonly ledger: Ledger,
    private readonly options: SimulationOptions,
  ) {}

  /** Delivers once per key. Resolves to false when the key had already been delivered. */
  send(request: PushRequest): Promise<boolean> {
    return remoteCall(
      'Notification service',
      this.options,
      () => this.ledger.recordNotification(request),
      request.signal,
    )
  }
}
