import { initTRPC } from '@trpc/server'
import superjson from 'superjson'
import { z } from 'zod'
import type { InnerContext } from './context'

/** superjson, so that Dates (startedAt, deliveredAt) reach the pages as Dates. */
const t = initTRPC.context<InnerContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Bad input answers one readable sentence per field, which the pages can show as they are.
    const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null
    return { ...shape, data: { ...shape.data, zodError } }
  },
})

export const router = t.router
export const publicProcedure = t.procedure
export const createCallerFactory = t.createCallerFactory
