import { LogTimestamp } from '@temporalio/worker'
import { TransientServiceError } from '@durable-delivery/activities'

/** The attributes the SDK puts on an activity's logs (its activityLogAttributes), for a charge's second attempt. */
export const chargeAttempt = {
  sdkComponent: 'activity',
  taskQueue: 'durable-delivery',
  isLocal: false,
  attempt: 2,
  namespace: 'default',
  taskToken: 'CiQ4ZTI2...',
  activityId: '1',
  activityType: 'chargeCustomer',
  workflowId: 'order-7',
  workflowRunId: '0193-run',
  workflowType: 'order',
  [LogTimestamp]: 1_764_000_000_123_000_000n,
}

/** The SDK's "Activity failed" log of that attempt, with next-attempt.ts's nextAttemptInMs. */
export function chargeFailure(
  nextAttemptInMs: number | null,
  error: unknown = new TransientServiceError('Payment service timed out'),
) {
  return { ...chargeAttempt, sdkComponent: 'worker', error, durationMs: 3, nextAttemptInMs }
}
