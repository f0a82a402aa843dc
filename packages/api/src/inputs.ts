import { z } from 'zod'
import { CART_LIMITS, cartProblem, extraTipProblem, getProductById, tipProblem } from '@durable-delivery/common'

/** Order ids are UUIDs the menu proposes (an idempotency key bound to the customer); they are also the workflow ids. */
export const orderIdInput = z.uuid({ error: 'orderId must be a UUID' })

/** A dish on the menu: anything else is refused before any workflow starts. */
export const productIdInput = z
  .number({ error: 'productId must be a number' })
  .int({ error: 'productId must be an integer' })
  .refine((id) => getProductById(id) !== undefined, { error: (issue) => `Unknown product: ${String(issue.input)}` })

/** A dish and how many of it; cartProblem judges the numbers (range, duplicates, the cart's size). */
export const cartItemInput = z.object({
  productId: z.number({ error: "an item's productId must be a number" }),
  quantity: z.number({ error: "an item's quantity must be a number" }),
})

/** The customer's tip choice; tipProblem judges the share or the amount. */
export const tipChoiceInput = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('none') }),
    z.object({ kind: z.literal('percent'), percent: z.number({ error: "a tip's percent must be a number" }) }),
    z.object({ kind: z.literal('amount'), cents: z.number({ error: "a tip's cents must be a number" }) }),
  ],
  { error: 'tip must be { kind: "none" }, { kind: "percent", percent } or { kind: "amount", cents }' },
)

/**
 * An order: the seed's one dish (`productId`, what the original sample's clients send), or a
 * cart (`items` and a `tip`). Exactly one of the two; the cart and the tip are judged by the same
 * rules the menu shows (cartProblem, tipProblem), so a bad one never starts a workflow.
 */
export const createOrderInput = z
  .object({
    orderId: orderIdInput,
    productId: productIdInput.optional(),
    // Bounded before cartProblem counts: a cart has at most one line per item.
    items: z
      .array(cartItemInput, { error: 'items must be a list of { productId, quantity }' })
      .max(CART_LIMITS.maxItems, { error: `An order holds at most ${CART_LIMITS.maxItems} items` })
      .optional(),
    tip: tipChoiceInput.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.items === undefined) {
      if (input.productId === undefined)
        ctx.addIssue({ code: 'custom', message: 'Give a productId or a cart of items', path: ['productId'] })
      else if (input.tip !== undefined)
        ctx.addIssue({ code: 'custom', message: 'A tip goes with a cart of items', path: ['tip'] })
      return
    }
    if (input.productId !== undefined)
      ctx.addIssue({ code: 'custom', message: 'Give a productId or a cart of items, not both', path: ['items'] })
    const cart = cartProblem(input.items)
    if (cart) ctx.addIssue({ code: 'custom', message: cart, path: ['items'] })
    const tip = input.tip === undefined ? undefined : tipProblem(input.tip)
    if (tip) ctx.addIssue({ code: 'custom', message: tip, path: ['tip'] })
  })

export type CreateOrderInput = z.infer<typeof createOrderInput>

/** The customer's answer to a shortage: go ahead without the dishes, or cancel the order. */
export const answerShortageInput = z.object({
  orderId: orderIdInput,
  goAhead: z.boolean({ error: 'goAhead must be true or false' }),
})

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
  /** A cart's order: added to the driver's tip, charged on its own. */
  extraTipCents: z
    .number({ error: 'extraTipCents must be a number' })
    .refine((cents) => extraTipProblem(cents) === undefined, {
      error: (issue) => extraTipProblem(issue.input as number),
    })
    .optional(),
})
