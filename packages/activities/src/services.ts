import { setTimeout as delay } from 'node:timers/promises'
import type { OrderLine } from '@durable-delivery/common'
import { purposeOf, type Ledger, type LedgerEntry, type PaymentPurpose } from './ledger'

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

/** The seed's card declines every dish of $35 or more: a charge that includes one, alone or in a cart. */
export const DECLINE_AT_CENTS = 3500

/** The payment service's own options besides the simulation's. */
export interface PaymentOptions extends SimulationOptions {
  /** A card that declines whatever it is charged for (tests: a card that expired after checkout). */
  cardDeclines?: () => boolean
}

/**
 * Runs `work` as a remote call would: half of the failures happen before the service acts, the
 * other half after it acted (the caller cannot tell which, and must retry with the same key).
 */
export async function remoteCall<T>(
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
  /** A cart's dishes: the card judges each dish (without lines, the charge is one dish of `cents`). */
  lines?: readonly OrderLine[]
  /** `order` (the default) or `extra-tip`: a second charge of the order run, under its own key. */
  purpose?: 'order' | 'extra-tip'
}

export interface RefundRequest extends Abortable {
  orderId: string
  paymentId?: string
  idempotencyKey: string
  /**
   * A partial refund (a shortage) of this many cents, under its own key. Without it the refund
   * is `full`: whatever of the order's charge is not refunded yet.
   */
  cents?: number
  purpose?: 'full' | 'shortage'
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
    private readonly options: PaymentOptions,
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
        const dishes =
          request.lines?.map((line) => line.cents) ?? (request.purpose === 'extra-tip' ? [] : [request.cents])
        if (dishes.some((cents) => cents >= DECLINE_AT_CENTS) || this.options.cardDeclines?.())
          throw new PaymentDeclinedError('Card declined: insufficient funds')
        return this.ledger.atomically(() => {
          if (this.ledger.findPayment('refund', request.orderId, request.paymentId, 'full')) {
            throw new PaymentVoidedError(
              `Payment of order ${request.orderId} was already refunded or voided: it cannot be charged`,
            )
          }
          return this.ledger.recordPayment(entryOf('charge', request, request.cents, request.purpose ?? 'order'))
        })
      },
      request.signal,
    )
  }

  /**
   * Refunds the order's charge, once per key: in full (what a partial refund left), or a part of
   * it (`cents`, a shortage). See RefundRequest.ifCharged. The extra tip is never refunded: it is
   * charged only after delivery.
   */
  refund(request: RefundRequest): Promise<RefundOutcome> {
    return remoteCall(
      'Payment service',
      this.options,
      () =>
        this.ledger.atomically((): RefundOutcome => {
          const entries = this.ledger.paymentsOf(request.orderId, request.paymentId)
          const charge = entries.find((entry) => entry.kind === 'charge' && purposeOf(entry) === 'order')
          if (!charge && (!request.ifCharged || request.cents !== undefined))
            throw new RefundRejectedError(`No charge to refund for order ${request.orderId}`)
          const purpose = request.purpose ?? (request.cents === undefined ? 'full' : 'shortage')
          // A retry finds its own entry: what it refunded then is the answer, not what is left now.
          const own = entries.find((entry) => entry.idempotencyKey === request.idempotencyKey)
          const refundedBefore = entries
            .filter((entry) => entry.kind === 'refund' && entry !== own)
            .reduce((sum, entry) => sum + entry.cents, 0)
          const left = (charge?.cents ?? 0) - refundedBefore
          const cents = request.cents ?? left
          if (!Number.isSafeInteger(cents) || cents < 0 || cents > left)
            throw new RefundRejectedError(
              `Cannot refund ${cents} cents of order ${request.orderId}: ${left} cents of its charge are left`,
            )
          const recorded = this.ledger.recordPayment(entryOf('refund', request, cents, purpose))
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
  purpose: PaymentPurpose,
): Omit<LedgerEntry, 'at'> {
  const { orderId, paymentId, idempotencyKey } = request
  return { kind, orderId, ...(paymentId === undefined ? {} : { paymentId }), cents, purpose, idempotencyKey }
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
