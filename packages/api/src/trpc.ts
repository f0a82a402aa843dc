import { initTRPC, TRPCError } from '@trpc/server'
import { z } from 'zod'
import type { InnerContext } from './context'

/**
 * What an answer says when the fault is ours: the details (a configuration value, an address, a
 * stack) go to the server's log, never to the page.
 */
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side. It has been logged; please try again later.'

/**
 * No transformer: answers are plain JSON, and the times they carry (startedAt, deliveredAt, the
 * deadlines) are ISO 8601 strings the pages parse where they show them. A transformer would add
 * its code (superjson: about 3.4 KiB gzip) to every page's first load.
 */
const t = initTRPC.context<InnerContext>().create({
  // Subscriptions stream over SSE (order.watchOrderStatus). A ping every 10 s keeps proxies from
  // closing a quiet stream; a client that hears nothing for 25 s reconnects (with its last event
  // id, so it resumes). On Vercel the function's time limit ends the stream instead: the client
  // reconnects the same way (docs/operations.md).
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
  errorFormatter({ shape, error }) {
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      return { ...shape, message: INTERNAL_ERROR_MESSAGE, data: { ...shape.data, stack: undefined, zodError: null } }
    }
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
export const createCallerFactory = t.createCallerFactory

/**
 * Every procedure: a mutation must come from the site's own pages (CSRF; cookies are SameSite=Lax
 * as well, so another site's form never carries them).
 */
export const publicProcedure = t.procedure.use(({ ctx, type, next }) => {
  if (type === 'mutation' && !ctx.identity.sameOrigin) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Refused: this request did not come from this site' })
  }
  return next()
})

/** The menu's procedures: the customer of this browser (minted on the first visit). */
export const customerProcedure = publicProcedure.use(({ ctx, next }) => {
  const customerId = ctx.identity.customerId()
  if (customerId === undefined) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'No customer: reload the menu' })
  return next({ ctx: { customerId } })
})

/** The driver portal's procedures: a signed-in driver, or UNAUTHORIZED. */
export const driverProcedure = publicProcedure.use(({ ctx, next }) => {
  const driverId = ctx.identity.driverId
  if (driverId === undefined) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in as a driver first' })
  return next({ ctx: { driverId } })
})
