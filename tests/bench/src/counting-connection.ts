import { InterceptingCall, type Interceptor } from '@grpc/grpc-js'
import { Connection } from '@temporalio/client'
import { siteRetryInterceptors } from '@durable-delivery/api'

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
