import { formatCents } from '@durable-delivery/common'

/** What the API knows when it places an order, enough to name it in the Web UI. */
export interface OrderStartInput {
  productName: string
  cents: number
  customerId?: string
}

/** The `staticSummary` and `staticDetails` options of `client.workflow.start`. */
export interface OrderStartMetadata {
  staticSummary: string
  staticDetails: string
}

/**
 * How an order is named in the Web UI's list and on its page, fixed when it starts: the list shows
 * "Burrata · $20.00 · customer abc12345" instead of a bare UUID. Pure, so the API imports it with
 * the definitions and never pulls in workflow code. The summary stays far below the server's
 * 200-byte limit: the customer id is cut to its first 8 characters there (whole in the details).
 */
export function orderStartMetadata({ productName, cents, customerId }: OrderStartInput): OrderStartMetadata {
  const price = formatCents(cents)
  // Backticks would end the markdown code span the id is shown in.
  const customer = customerId?.replace(/`/g, "'")
  return {
    staticSummary: [productName, price, ...(customer ? [`customer ${customer.slice(0, 8)}`] : [])].join(' · '),
    staticDetails: [
      `**${productName}**, ${price}`,
      '',
      customer ? `- Customer: \`${customer}\`` : '- Customer: none (placed without a customer id)',
      '- The state now: the current details; the whole story: the `getStatus` query and the history.',
    ].join('\n'),
  }
}
