/** Latency figures of one kind of call, in milliseconds. */
export interface LatencySummary {
  count: number
  p50: number
  p99: number
  max: number
}

/** Nearest-rank percentiles: every figure printed is a latency that was actually measured. */
export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN
  return { count: sorted.length, p50: rank(50), p99: rank(99), max: sorted.at(-1) ?? NaN }
}

export function formatLatency(summary: LatencySummary): string {
  const ms = (value: number) => `${Math.round(value)} ms`
  return `p50 ${ms(summary.p50)}, p99 ${ms(summary.p99)}, max ${ms(summary.max)} (n=${summary.count})`
}

/** Times one call, adding its duration to `samples` whether it succeeds or fails. */
export async function timed<T>(samples: number[], call: () => Promise<T>): Promise<T> {
  const started = performance.now()
  try {
    return await call()
  } finally {
    samples.push(performance.now() - started)
  }
}
