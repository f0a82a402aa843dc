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
