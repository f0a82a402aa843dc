import { initTRPC } from '@trpc/server'
import superjson from 'superjson'
import { z } from 'zod'
import type { InnerContext } from './context'

/** superjson, so that Dates (startedAt, deliveredAt) reach the pages as Dates. */
const t = initTRPC.context<InnerContext>().create({
  transformer: superjson,
  // Subscriptions stream over SSE (order.watchOrderStatus). A ping every 10 s keeps proxies from
  // closing a quiet stream; a client that hears nothing for 25 s reconnects (with its last event
  // id, so it resumes). On Vercel the function's time limit ends the stream instead: the client
  // reconnects the same way (docs/operations.md).
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
  errorFormatter({ shape, error }) {
    // Bad input answers one readable sentence per field, which the pages can show as they are.
    if (!(error.cause instanceof z.ZodError)) return { ...shape, data: { ...shape.data, zodError: null } }
    const message = error.cause.issues
      .map((issue) => {
        const field = issue.path.join('.')
        return field && !issue.message.includes(field) ? `${field}: ${issue.message}` : issue.message
      })
      .join('; ')
    return { ...shape, message, data: { ...shape.data, zodError: z.flattenError(error.cause) } }
  },
})

export const router = t.router
export const publicProcedure = t.procedure
export const createCallerFactory = t.createCallerFactory
