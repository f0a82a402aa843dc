import { formatWithOptions } from 'node:util'
import { ApplicationFailure } from '@temporalio/common'
import { TransientServiceError } from '@durable-delivery/activities'
import { DefaultLogger, type LogLevel, type LogMetadata, type Logger, LogTimestamp } from '@temporalio/worker'

/**
 * Attributes the SDK adds to every Worker, workflow and activity log so that a collector can
 * route it; production's JSON keeps them, development names the activity and order instead.
 */
const ROUTING = new Set([
  'sdkComponent',
  'taskQueue',
  'namespace',
  'isLocal',
  'taskToken',
  'activityId',
  'activityType',
  'attempt',
  'workflowId',
  'workflowRunId',
  'runId',
  'workflowType',
  'nextAttemptInMs',
])

/** The SDK's activity and workflow attributes, and the next attempt from next-attempt.ts. */
interface SdkAttributes {
  activityType?: string
  attempt?: number
  workflowType?: string
  workflowId?: string
  error?: unknown
  nextAttemptInMs?: number | null
}

/** `chargeCustomer for order <id>`, `order <id>`, or nothing for the Worker's own logs. */
function subjectOf({ activityType, workflowType, workflowId }: SdkAttributes): string | undefined {
  const workflow = workflowId === undefined ? undefined : `${workflowType} ${workflowId}`
  if (activityType === undefined) return workflow
  return workflow === undefined ? activityType : `${activityType} for ${workflow}`
}

/**
 * A failure our code raised on purpose is told by its message; an unexpected error keeps its
 * stack. The SDK fails a workflow only for a failure its code raised (a bug fails the workflow
 * task instead), and that error reaches the Worker's thread as a plain Error.
 */
function readable(value: unknown, deliberate: boolean): unknown {
  if (value instanceof ApplicationFailure) return value.type ? `${value.message} (${value.type})` : value.message
  return deliberate && value instanceof Error ? value.message : value
}

/**
 * A log entry as development prints it, in one line wherever the error allows: the message, the
 * activity and order it concerns, and the fields our code added. The SDK's "Activity failed"
 * reads as what happens next, e.g. `chargeCustomer for order 7 failed (attempt 2, retrying in
 * 2s): Payment service timed out`, rather than twenty lines of task token and stack.
 */
export function developmentLine(message: string, meta: LogMetadata | undefined, colors = false): string {
  if (meta === undefined) return message
  const attributes = meta as SdkAttributes
  const subject = subjectOf(attributes)
  const { nextAttemptInMs, attempt, error } = attributes
  if (message === 'Activity failed' && subject !== undefined && nextAttemptInMs !== undefined) {
    const next =
      nextAttemptInMs === null ? 'not retried' : `retrying in ${Number((nextAttemptInMs / 1000).toFixed(1))}s`
    // The services' transient fault is expected and retried: its message says it. Anything else
    // (a TypeError retried forever is a bug) keeps its stack.
    const reason =
      nextAttemptInMs !== null && error instanceof TransientServiceError ? error.message : readable(error, false)
    return `${subject} failed (attempt ${attempt}, ${next}): ${typeof reason === 'string' ? reason : formatWithOptions({ colors }, reason)}`
  }
  const fields = Object.fromEntries(
    Object.entries(meta)
      .filter(([key]) => !ROUTING.has(key))
      .map(([key, value]) => [key, readable(value, message === 'Workflow failed')]),
  )
  const about = subject === undefined ? '' : ` (${subject}${attempt && attempt > 1 ? `, attempt ${attempt}` : ''})`
  const rest =
    Object.keys(fields).length === 0 ? '' : ` ${formatWithOptions({ colors, breakLength: Infinity }, fields)}`
  return `${message}${about}${rest}`
}

/**
 * Development's logger: the SDK's format on stderr (time, level, message), each entry rendered
 * by developmentLine.
 */
export class DevelopmentLogger implements Logger {
  private readonly sdk: DefaultLogger
  private readonly colors = process.stderr.hasColors?.() ?? false

  constructor(level: LogLevel) {
    this.sdk = new DefaultLogger(level)
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const timestamp = meta?.[LogTimestamp] as bigint | undefined
    this.sdk.log(level, developmentLine(message, meta, this.colors), { [LogTimestamp]: timestamp })
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta)
  }

  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta)
  }

  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta)
  }

  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta)
  }

  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta)
  }
}
