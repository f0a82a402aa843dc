import { TRPCClientError } from '@trpc/client'

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
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'SERVICE_UNAVAILABLE') return `Service unavailable: ${message}. Try again in a moment.`
  if (code === 'BAD_REQUEST') return `Rejected: ${firstIssue(error) ?? message}`
  if (code) return message
  return `The site's server did not answer (${message})`
}

/** The first validation message, rather than zod's whole JSON. */
function firstIssue(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined
  const zodError = (error.data as { zodError?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } } | undefined)?.zodError
  if (!zodError) return undefined
  return zodError.formErrors?.[0] ?? Object.values(zodError.fieldErrors ?? {}).flat()[0]
}
