/**
 * The tRPC error code of a failed call, or undefined for anything else. Duck-typed on purpose:
 * the API package (CommonJS) and this one (loaded as ESM under vitest) can hold two copies of
 * `TRPCError`, so `instanceof` would miss errors of the other copy.
 */
export function trpcCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'TRPCError') return undefined
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code : undefined
}
