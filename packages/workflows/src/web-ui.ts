import { formatCents, type OrderStatus } from '@durable-delivery/common'

/**
 * What the Temporal Web UI shows about a running order besides its history: one-line summaries of
 * its activities and timers, and its "current details" (`setCurrentDetails`). All are metadata:
 * replay ignores them, so their wording may change freely.
 */

/** '1m', '30s', '1h', '1h30m', '500ms': short enough for a timer's summary. */
export function shortDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`
  const units = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const
  let rest = ms
  let text = ''
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count > 0) text += `${count}${unit}`
  }
  return text
}

/** A notification's activity summary: the message itself, cut to stay one short line. */
export function notificationSummary(message: string): string {
  const line = message.replace(/\s+/g, ' ')
  return `notify: ${line.length > 80 ? `${line.slice(0, 79)}…` : line}`
}

/** "01:50:00 UTC": the deadline's time of day is what an operator looks for. */
function timeOfDay(iso: string): string {
  return `${iso.slice(11, 19)} UTC`
}

/** The order now, in one line of markdown: `**Paid** · Burrata · $20.00 · pickup by 01:50:00 UTC`. */
export function currentDetails(status: OrderStatus, productName: string | undefined): string {
  const parts = [`**${status.state}**`]
  if (productName) parts.push(productName)
  if (status.cents !== undefined) parts.push(formatCents(status.cents))
  if (status.tip) parts.push(`tip ${formatCents(status.tip.cents)}`)
  const { restaurant, shortage } = status
  if (restaurant?.acceptDeadline) parts.push(`restaurant to accept by ${timeOfDay(restaurant.acceptDeadline)}`)
  if (shortage?.deadline) parts.push(`shortage: customer to answer by ${timeOfDay(shortage.deadline)}`)
  else if (shortage?.outcome) parts.push(`shortage ${shortage.outcome}, refunded ${formatCents(shortage.refundCents)}`)
  if (restaurant?.readyBy && status.state === 'Preparing') parts.push(`ready by ${timeOfDay(restaurant.readyBy)}`)
  if (restaurant?.declined) parts.push(`declined: ${restaurant.declined}`)
  if (status.driverId !== undefined) parts.push(`driver \`${status.driverId.replace(/`/g, "'")}\``)
  if (status.pickupDeadline) parts.push(`pickup by ${timeOfDay(status.pickupDeadline)}`)
  if (status.deliveryDeadline) parts.push(`delivery by ${timeOfDay(status.deliveryDeadline)}`)
  if (status.rating) parts.push(`rated ${'★'.repeat(status.rating.stars)}${'☆'.repeat(5 - status.rating.stars)}`)
  else if (status.ratingDeadline) parts.push(`rating open until ${timeOfDay(status.ratingDeadline)}`)
  if (status.extraTipCents !== undefined) parts.push(`extra tip ${formatCents(status.extraTipCents)}`)
  if (status.failure !== undefined) parts.push(status.failure)
  return parts.join(' · ')
}
