import { isGrpcDeadlineError, isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client'
import { TRPCError } from '@trpc/server'
import type { InnerContext } from './context'
import { TemporalUnavailableError } from './temporal-client'
import { errorMessage } from '@durable-delivery/common'

/** The gRPC status codes we branch on (numbers fixed by the gRPC spec). */
const GrpcStatus = { CANCELLED: 1, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, UNAVAILABLE: 14 } as const

/** A shared read that this request stopped waiting for (waitAtMost): it goes on for the next request. */
export class WaitedTooLongError extends Error {}

/** Waits for `promise` at most `ms`, then rejects with WaitedTooLongError, leaving the promise to finish. */
export async function waitAtMost<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WaitedTooLongError(`No answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * One failure vocabulary per layer: whatever the Temporal Client throws becomes a TRPCError with a
 * code the pages branch on (NOT_FOUND, SERVICE_UNAVAILABLE, ...) and a message a person can read.
 */
function toTRPCError(error: unknown, what: string, deadlinePassed = false): TRPCError {
  if (error instanceof TRPCError) return error
  if (error instanceof TemporalUnavailableError) {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message, cause: error })
  }
  if (error instanceof WorkflowNotFoundError) {
    return new TRPCError({ code: 'NOT_FOUND', message: `${what}: no such order`, cause: error })
  }
  // Past our own deadline a call may end as DEADLINE_EXCEEDED or, for an Update the client was
  // still waiting on, as CANCELLED: either way nothing answered in time.
  if (
    error instanceof WaitedTooLongError ||
    isGrpcDeadlineError(error) ||
    (deadlinePassed && grpcCode(error) === GrpcStatus.CANCELLED)
  ) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: `${what}: Temporal did not answer in time (is the server reachable and a Worker running?)`,
      cause: error,
    })
  }
  const code = grpcCode(error)
  if (code === GrpcStatus.UNAVAILABLE || code === GrpcStatus.DEADLINE_EXCEEDED) {
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: `${what}: the Temporal server is unavailable`,
      cause: error,
    })
  }
  if (code === GrpcStatus.CANCELLED) {
    // A query cut off mid-flight, typically by a Worker restarting: asking again will work.
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: `${what}: the request was interrupted, try again`,
      cause: error,
    })
  }
  if (code === GrpcStatus.NOT_FOUND) {
    return new TRPCError({ code: 'NOT_FOUND', message: `${what}: no such order`, cause: error })
  }
  const reason = errorMessage(error)
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: `${what}: ${reason}`, cause: error })
}

/** The gRPC status code of an error or of the first cause that has one. */
export function grpcCode(error: unknown): number | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (isGrpcServiceError(current)) return current.code
    current = current instanceof Error ? current.cause : undefined
  }
  return undefined
}

/**
 * Runs `call` with the context's client under a deadline (so nothing hangs on a dead server or a
 * missing Worker), translating failures with `what` (e.g. "Order 1234") as the subject.
 */
export async function withTemporal<T>(
  ctx: InnerContext,
  what: string,
  call: (client: Client) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + ctx.rpcTimeoutMs
  try {
    const client = await ctx.getClient()
    return await client.connection.withDeadline(deadline, () => call(client))
  } catch (error) {
    throw toTRPCError(error, what, Date.now() >= deadline)
  }
}
