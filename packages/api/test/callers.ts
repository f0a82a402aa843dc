import { TRPCError } from '@trpc/server'
import type { TemporalConfig } from '@durable-delivery/common/config'
import type { Identity } from '../src/auth/identity'
import { createInnerContext, type InnerContextOptions } from '../src/context'
import type { ProcessShared } from '../src/process-shared'
import { createCaller } from '../src/root'
import { getTemporalClient } from '../src/temporal-client'

export type Caller = ReturnType<typeof createCaller>

/**
 * Callers of the whole API as different people, over the shared lazy client the sites use;
 * `options` changes the context further (e.g. `paymentWaitMs`).
 */
export function callersFor(config: TemporalConfig, shared: ProcessShared) {
  return (identity: Identity, own: ProcessShared = shared, options: Partial<InnerContextOptions> = {}): Caller =>
    createCaller(
      createInnerContext({
        client: () => getTemporalClient(config),
        taskQueue: config.taskQueue,
        uiUrl: config.uiUrl,
        identity,
        shared: own,
        ...options,
      }),
    )
}

/** The tRPC code a call failed with; throws if it succeeded or failed otherwise. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (error instanceof TRPCError) return error.code
  throw new Error(`expected a TRPCError, got ${String(error)}`)
}

/** The message a call failed with, or 'no error'. */
export async function messageOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    (error: Error) => error.message,
  )
}
