import { InterceptingCall, type Interceptor } from '@grpc/grpc-js'
import { Client, Connection } from '@temporalio/client'
import {
  createCaller,
  createInnerContext,
  createProcessShared,
  fixedIdentity,
  NO_LIMITS,
  siteRetryInterceptors,
  type InnerContextOptions,
} from '@durable-delivery/api'
import { SUITE_CUSTOMER, SUITE_DRIVER } from '@durable-delivery/resilience/breakable-stack'

const SERVICE = '/temporal.api.workflowservice.v1.WorkflowService/'

/** Every WorkflowService call, by method: Queries and Updates are billed, describe and history reads are not. */
function countingInterceptor(calls: Map<string, number>): Interceptor {
  return (options, nextCall) => {
    const method = options.method_definition.path.replace(SERVICE, '')
    calls.set(method, (calls.get(method) ?? 0) + 1)
    return new InterceptingCall(nextCall(options))
  }
}

/**
 * A connection with a site's retries (the counter inside them, so a retried call is counted as
 * the server received it), and the calls it has sent so far by method.
 */
export async function countingConnection(
  address: string,
): Promise<{ connection: Connection; calls: Map<string, number> }> {
  const calls = new Map<string, number>()
  const connection = await Connection.connect({
    address,
    interceptors: [...siteRetryInterceptors(), countingInterceptor(calls)],
  })
  return { connection, calls }
}

/**
 * The API as one site process serves it, over `connection`, to the suite's customer and driver
 * with no rate limits: the benches' calls are the load, not an attack.
 */
export function benchApi(
  connection: Connection,
  options: Omit<InnerContextOptions, 'client' | 'identity' | 'shared'>,
): ReturnType<typeof createCaller> {
  return createCaller(
    createInnerContext({
      client: new Client({ connection }),
      identity: fixedIdentity({ customerId: SUITE_CUSTOMER, driverId: SUITE_DRIVER }),
      shared: createProcessShared(NO_LIMITS),
      ...options,
    }),
  )
}
