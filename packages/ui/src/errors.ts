import { TRPCClientError } from '@trpc/client'
import { errorMessage } from '@durable-delivery/common'

/** The tRPC error code of an answer (`SERVICE_UNAVAILABLE`, `NOT_FOUND`, ...), if the server gave one. */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined
  const data: unknown = error.data
  if (data && typeof data === 'object' && 'code' in data && typeof data.code === 'string') return data.code
  return undefined
}

/** One sentence for a person, from any error a page receives. */
export function describeError(error: unknown): string {
  const code = errorCode(error)
  const message = errorMessage(error)
  if (code === 'SERVICE_UNAVAILABLE') return `Service unavailable: ${message}. Try again in a moment.`
  // The server words validation failures as sentences ("orderId must be a UUID").
  if (code === 'BAD_REQUEST') return `Rejected: ${message}`
  if (code) return message
  return `The site's server did not answer (${message})`
}
