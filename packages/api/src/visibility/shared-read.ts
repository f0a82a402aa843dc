export interface SharedReadOptions {
  freshMs: number
  staleMs: number
  maxKeys: number
  /**
   * A value stays fresh this many times as long as its read took, when that is longer than
   * `freshMs` (up to half of `staleMs`): a read of a thousand rows that keeps the server busy for
   * a second is repeated every few seconds, not every second.
   */
  readCostFactor: number
}

/**
 * Reads that every request of a process shares for a moment: a hundred drivers watching the
 * list cost Temporal's visibility one query a second, not a hundred. A value younger than
 * `freshMs` is served as it is; an older one (up to `staleMs`) is served while one refresh runs
 * behind it, so no reader waits on visibility except the very first. Failures are not kept.
 */
export class SharedRead<T> {
  private readonly entries = new Map<string, { value?: T; at: number; freshFor: number; refreshing?: Promise<T> }>()

  constructor(
    private readonly options: SharedReadOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key)
    const age = entry?.value === undefined ? Infinity : this.now() - entry.at
    if (entry?.value !== undefined && age < entry.freshFor) return Promise.resolve(entry.value)
    const refreshing = entry?.refreshing ?? this.refresh(key, read)
    if (entry?.value !== undefined && age < this.options.staleMs) {
      refreshing.catch(() => undefined)
      return Promise.resolve(entry.value)
    }
    return refreshing
  }

  /** Forgets every value (after this process changed an order: its own drivers see it at once). */
  invalidate(): void {
    for (const entry of this.entries.values()) entry.at = -Infinity
  }

  private refresh(key: string, read: () => Promise<T>): Promise<T> {
    const { freshMs, staleMs, readCostFactor } = this.options
    const entry = this.entries.get(key) ?? { at: -Infinity, freshFor: freshMs }
    const started = this.now()
    const refreshing = read().then(
      (value) => {
        entry.value = value
        entry.at = this.now()
        entry.freshFor = Math.min(Math.max(freshMs, readCostFactor * (entry.at - started)), staleMs / 2)
        entry.refreshing = undefined
        return value
      },
      (error: unknown) => {
        entry.refreshing = undefined
        throw error
      },
    )
    entry.refreshing = refreshing
    this.entries.delete(key)
    this.entries.set(key, entry)
    if (this.entries.size > this.options.maxKeys) this.entries.delete(this.entries.keys().next().value!)
    return refreshing
  }
}
