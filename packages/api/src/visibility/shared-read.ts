/**
 * Reads that every request of a process shares for a moment: a hundred drivers watching the
 * list cost Temporal's visibility one query a second, not a hundred. A value younger than
 * `freshMs` is served as it is; an older one (up to `staleMs`) is served while one refresh runs
 * behind it, so no reader waits on visibility except the very first. Failures are not kept.
 */
export class SharedRead<T> {
  private readonly entries = new Map<string, { value?: T; at: number; refreshing?: Promise<T> }>()

  constructor(
    private readonly options: { freshMs: number; staleMs: number; maxKeys: number },
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key)
    const age = entry?.value === undefined ? Infinity : this.now() - entry.at
    if (entry?.value !== undefined && age < this.options.freshMs) return Promise.resolve(entry.value)
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
    const entry = this.entries.get(key) ?? { at: -Infinity }
    const refreshing = read().then(
      (value) => {
        entry.value = value
        entry.at = this.now()
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
