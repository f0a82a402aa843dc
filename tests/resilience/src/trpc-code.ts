import { TRPCError } from '@trpc/server'

/** The tRPC error code of a failed call (`SERVICE_UNAVAILABLE`, ...), or undefined for anything else. */
export function trpcCode(error: unknown): string | undefined {
  return error instanceof TRPCError ? error.code : undefined
}
