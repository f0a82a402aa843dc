/**
 * Tells the open driver portals of this server process when the driver list changed, so that
 * they refetch then, instead of polling. One loop per process while anyone listens: it reads the
 * list's fingerprint through the shared visibility reads (the same cached reads the pages are
 * served from) about once a second, and bumps a version when it changes.
 */
const UNAVAILABLE = 'unavailable'

export class DriverListFeed {
  private readonly listeners = new Set<(version: number) => void>()
  private version = 0
  private fingerprint: string | undefined
  private running = false

  constructor(private readonly intervalMs = 1_000) {}

  /**
   * The versions, one each time the list changes, until `signal` aborts. The first is the
   * current version, at once: a reconnecting portal refetches whatever it may have missed.
   */
  async *changes(read: () => Promise<string>, signal?: AbortSignal): AsyncGenerator<number> {
    const queue: number[] = [this.version]
    let wake: (() => void) | undefined
    const listener = (version: number) => {
      queue.push(version)
      wake?.()
    }
    const onAbort = () => wake?.()
    this.listeners.add(listener)
    signal?.addEventListener('abort', onAbort)
    this.start(read)
    try {
      while (!signal?.aborted) {
        const next = queue.shift()
        if (next !== undefined) yield next
        else await new Promise<void>((resolve) => (wake = resolve))
      }
    } finally {
      this.listeners.delete(listener)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  private start(read: () => Promise<string>): void {
    if (this.running) return
    this.running = true
    void (async () => {
      while (this.listeners.size > 0) {
        // Temporal out of reach is a change too: the portals refetch, fail, and mark their rows
        // as not refreshed; its return is another change, and they are fresh again.
        const fingerprint = await read().catch(() => UNAVAILABLE)
        if (this.fingerprint !== undefined && fingerprint !== this.fingerprint) {
          this.version += 1
          for (const listener of this.listeners) listener(this.version)
        }
        this.fingerprint = fingerprint
        await new Promise((resolve) => setTimeout(resolve, this.intervalMs))
      }
      this.running = false
    })()
  }
}
