import {
  DefaultLogger,
  type LogEntry,
  type LogLevel,
  type LogMetadata,
  type Logger,
  LogTimestamp,
} from '@temporalio/worker'
import type { LogFormat, LogLevelName } from '@durable-delivery/common/config'

/** Values JSON.stringify cannot take as they are: bigints, and errors (whose fields are not enumerable). */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  return value
}

/** One JSON object per line on stdout, the shape log collectors (Render, Datadog, Loki) index. */
export function formatJson(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString()
  return JSON.stringify({ time, level: entry.level, message: entry.message, ...entry.meta }, jsonSafe)
}

/** What the SDK puts on an activity's logs (its activityLogAttributes) and on "Activity failed". */
interface ActivityFailureMeta {
  activityType: string
  attempt: number
  workflowType?: string
  workflowId?: string
  error: unknown
}

/**
 * The SDK's "Activity failed" log of an attempt the server will retry, as one line: which
 * activity of which workflow, which attempt, when the next, and why (`nextAttemptInMs` comes
 * from next-attempt.ts). Undefined for any other log, which keeps the SDK's full output: a
 * failure that is not retried has its error and stack printed.
 */
export function retriedFailureLine(message: string, meta: LogMetadata | undefined): string | undefined {
  const retryInMs: unknown = meta?.nextAttemptInMs
  if (message !== 'Activity failed' || typeof retryInMs !== 'number') return undefined
  const { activityType, workflowType, workflowId, attempt, error } = meta as ActivityFailureMeta
  const subject = workflowId === undefined ? activityType : `${activityType} for ${workflowType} ${workflowId}`
  const reason = error instanceof Error ? error.message : String(error)
  return `${subject} failed (attempt ${attempt}, retrying in ${Number((retryInMs / 1000).toFixed(1))}s): ${reason}`
}

/**
 * Development's logger: the SDK's readable format on stderr, with an expected, retried activity
 * failure in one line rather than its metadata, task token and stack (about twenty lines).
 */
class DevelopmentLogger implements Logger {
  private readonly sdk: DefaultLogger

  constructor(level: LogLevel) {
    this.sdk = new DefaultLogger(level)
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const line = retriedFailureLine(message, meta)
    if (line === undefined) this.sdk.log(level, message, meta)
    else this.sdk.log(level, line, { [LogTimestamp]: meta?.[LogTimestamp] as bigint | undefined })
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

/**
 * The Worker's logger, also handed to the SDK Runtime so that Worker, workflow and activity logs
 * (and forwarded Core logs) come out in one format: JSON lines with every detail in production,
 * a readable format on stderr in development.
 */
export function createLogger(format: LogFormat, level: LogLevelName): Logger {
  if (format === 'pretty') return new DevelopmentLogger(level)
  return new DefaultLogger(level, (entry) => process.stdout.write(`${formatJson(entry)}\n`))
}
