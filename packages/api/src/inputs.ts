import { z } from 'zod'
import { getProductById } from '@durable-delivery/common'

/** Order ids are UUIDs chosen by the menu; they are also the workflow ids. */
export const orderIdInput = z.uuid({ error: 'orderId must be a UUID' })

/** A dish on the menu: anything else is refused before any workflow starts. */
export const productIdInput = z
  .number({ error: 'productId must be a number' })
  .int({ error: 'productId must be an integer' })
  .refine((id) => getProductById(id) !== undefined, { error: (issue) => `Unknown product: ${String(issue.input)}` })

export const createOrderInput = z.object({ productId: productIdInput, orderId: orderIdInput })

/** A customer's cancellation: the order, and optionally why (kept as the order's reason). */
export const cancelOrderInput = z.object({
  orderId: orderIdInput,
  reason: z
    .string({ error: 'reason must be a string' })
    .max(500, { error: 'reason must be at most 500 characters' })
    .optional(),
})

/**
 * A subscription to an order's status. `lastEventId` is filled in by the tRPC client when it
 * reconnects (the SSE Last-Event-ID), so the stream resumes instead of starting over.
 */
export const watchOrderInput = z.object({
  orderId: orderIdInput,
  lastEventId: z.string({ error: 'lastEventId must be a string' }).max(64).nullish(),
})

/** The customer's rating of a delivered meal: the `rate` Update's input (design.md §2b). */
export const rateOrderInput = z.object({
  orderId: orderIdInput,
  stars: z
    .number({ error: 'stars must be a number' })
    .int({ error: 'stars must be a whole number' })
    .min(1, { error: 'stars must be between 1 and 5' })
    .max(5, { error: 'stars must be between 1 and 5' }),
  comment: z
    .string({ error: 'comment must be a string' })
    .max(500, { error: 'comment must be at most 500 characters' })
    .optional(),
})
