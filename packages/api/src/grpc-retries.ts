import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client'

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number]

/** gRPC's RESOURCE_EXHAUSTED: what a frontend answers a history long poll past its namespace's limit. */
const RESOURCE_EXHAUSTED = 8
const HISTORY_READ = '/temporal.api.workflowservice.v1.WorkflowService/GetWorkflowExecutionHistory'

/**
 * The SDK's retries for every call, as by default, except that a history read refused with
 * RESOURCE_EXHAUSTED fails at once. The SDK would retry it with backoff for about 40 s, the card
 * updating neither from its long poll nor from the sweep meanwhile; the live card's watcher moves
 * the card to the sweep at the first refusal instead (order-watcher.ts).
 */
export function siteRetryInterceptors(): Interceptor[] {
  const defaults = defaultGrpcRetryOptions()
  const everyCall = makeGrpcRetryInterceptor(defaults)
  const historyRead = makeGrpcRetryInterceptor({
    ...defaults,
    retryableDecider: (attempt, status) =>
      Number(status.code) !== RESOURCE_EXHAUSTED && defaults.retryableDecider(attempt, status),
  })
  return [
    (options, nextCall) =>
      (options.method_definition.path === HISTORY_READ ? historyRead : everyCall)(options, nextCall),
  ]
}
