import type { RefundOutcome } from '@durable-delivery/activities'

/**
 * Every push notification the order sends, in one place. The seed's wording is kept where the
 * seed had the message.
 */

export const PICKED_UP = '🚗 Order picked up'
export const DELIVERED = '✅ Order delivered!'

export function ratingPrompt(productName: string): string {
  return `✍️ Rate your meal. How was the ${productName.toLowerCase()}?`
}

export function paymentDeclined(productName: string, reason: string): string {
  return `Failed to charge customer for ${productName}. Error: ${reason}`
}

export const REFUND_FAILED =
  '⚠️ We could not refund your payment automatically. Our support team has been alerted and will refund you.'

/**
 * An ending that gives the money back: what the customer is told the moment it is decided
 * (while the refund may still retry for an hour), and once the money is settled.
 */
export interface RefundEnding {
  decided: string
  settled: (outcome: RefundOutcome) => string
}

const nothingCharged = (outcome: RefundOutcome) => outcome === 'nothing to refund'

export const NOT_PICKED_UP: RefundEnding = {
  decided: '⚠️ No drivers were available to pick up your order, so it was cancelled. Your payment will be refunded.',
  settled: () => '⚠️ No drivers were available to pick up your order. Your payment has been refunded.',
}

export const NOT_DELIVERED: RefundEnding = {
  decided: '⚠️ Your driver was unable to deliver your order, so it was cancelled. Your payment will be refunded.',
  settled: () => '⚠️ Your driver was unable to deliver your order. Your payment has been refunded.',
}

export function paymentNotConfirmed(productName: string): RefundEnding {
  const cancelled = `⚠️ We could not confirm your payment for ${productName} in time, so the order was cancelled.`
  return {
    decided: `${cancelled} You will not be charged.`,
    settled: (outcome) =>
      `${cancelled} ${nothingCharged(outcome) ? 'Nothing was charged.' : 'Your payment has been refunded.'}`,
  }
}

export const CANCELLED: RefundEnding = {
  decided: '❌ Your order was cancelled. Anything charged will be refunded.',
  settled: (outcome) =>
    `❌ Your order was cancelled. ${nothingCharged(outcome) ? 'Nothing was charged.' : 'Your payment has been refunded.'}`,
}

/** A cancelled order that nothing was ever charged for needs no refund: one message says it all. */
export const CANCELLED_UNCHARGED = CANCELLED.settled('nothing to refund')

// A cart's order (placed with lines): the restaurant's step, a shortage, the extra tip.

export const NOT_ACCEPTED: RefundEnding = {
  decided: '⚠️ The restaurant did not confirm your order in time, so it was cancelled. Your payment will be refunded.',
  settled: () => '⚠️ The restaurant did not confirm your order in time. Your payment has been refunded.',
}

export function declinedByRestaurant(reason: string | undefined): RefundEnding {
  const said = reason ? ` ("${reason}")` : ''
  return {
    decided: `⚠️ The restaurant could not take your order${said}, so it was cancelled. Your payment will be refunded.`,
    settled: () => `⚠️ The restaurant could not take your order${said}. Your payment has been refunded.`,
  }
}

export const NOT_PREPARED: RefundEnding = {
  decided:
    '⚠️ The restaurant could not prepare your order in time, so it was cancelled. Your payment will be refunded.',
  settled: () => '⚠️ The restaurant could not prepare your order in time. Your payment has been refunded.',
}

/** The question of a shortage: which dishes, what going ahead gives back, and what silence does. */
export function shortageQuestion(dishes: string, refund: string, minutes: string): string {
  return `🤔 The restaurant is out of ${dishes}. Go ahead without it (we refund ${refund}) or cancel for a full refund? No answer in ${minutes} goes ahead without it.`
}

export function shortageSettled(dishes: string, refund: string): string {
  return `💸 Going ahead without ${dishes}: ${refund} has been refunded.`
}

export function preparing(readyInMinutes: number): string {
  return `🍳 The restaurant accepted your order: ready in about ${readyInMinutes} minute${readyInMinutes === 1 ? '' : 's'}`
}

export const READY = '🛍️ Your order is ready: a driver will pick it up soon'

export function extraTipCharged(amount: string): string {
  return `💚 Thank you: ${amount} added to your driver's tip`
}

export function extraTipDeclined(amount: string, reason: string): string {
  return `⚠️ We could not add ${amount} to your driver's tip: ${reason}`
}

/** Why a customer's cancel is refused once the restaurant has accepted. */
export const CANCEL_WHILE_PREPARING =
  'The restaurant is preparing your order: it can no longer be cancelled. Contact support if something is wrong.'
