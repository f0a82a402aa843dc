import { z } from 'zod'
import { getProductById } from '@durable-delivery/common'

/** Order ids are UUIDs the menu proposes (an idempotency key bound to the customer); they are also the workflow ids. */
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

/** Where a list goes on from: the cursor the previous page answered, as it was given. */
export const cursorInput = z
  .string({ error: 'cursor must be a string' })
  .max(2_000, { error: 'cursor is too long' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'cursor is not one this site gave out' })
  .optional()

export const pageInput = z.object({ cursor: cursorInput }).default({})

/** The driver list's sections (docs/architecture.md, "The driver list"). */
export const listSectionInput = z.object({
  section: z.enum(['ready', 'mine', 'closed'], { error: 'section must be ready, mine or closed' }),
  cursor: cursorInput,
})

/** The driver list's push: only the SSE resume id, which changes nothing (every push means "refetch"). */
export const watchListInput = z.object({ lastEventId: z.string().max(100).nullish() }).optional()

export const signInInput = z.object({
  driverId: z.string({ error: 'driverId must be a string' }).trim().min(1, { error: 'Enter your driver id' }).max(64),
  password: z.string({ error: 'password must be a string' }).min(1, { error: 'Enter your password' }).max(200),
})

/**
 * A subscription to an order's status. `lastEventId` is filled in by the tRPC client when it
 * reconnects (the SSE Last-Event-ID), so the stream resumes instead of starting over.
 */
export const watchOrderInput = z.object({
  orderId: orderIdInput,
  lastEventId: z.string({ error: 'lastEventId must be a string' }).max(64).nullish(),
})

/** The customer's rating of a delivered meal: the `rate` Update's input. */
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
