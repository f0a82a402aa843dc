import { DefaultLogger, type LogEntry, type Logger } from '@temporalio/worker'
import type { LogFormat, LogLevelName } from '@durable-delivery/common/config'
import { DevelopmentLogger } from './development-log'

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

/**
 * The Worker's logger, also handed to the SDK Runtime so that Worker, workflow and activity logs
 * (and forwarded Core logs) come out in one format: JSON lines with every detail in production,
 * one readable line per entry on stderr in development (development-log.ts).
 */
export function createLogger(format: LogFormat, level: LogLevelName): Logger {
  if (format === 'pretty') return new DevelopmentLogger(level)
  return new DefaultLogger(level, (entry) => process.stdout.write(`${formatJson(entry)}\n`))
}
