/**
 * A token bucket per key (a customer, an address): `burst` calls at once, then `perMinute` on
 * average. In this process's memory: with several instances of a site each counts its own share,
 * so the real limit is the sum; a shared store (Redis, Vercel's edge config, a WAF rule) would
 * make it one limit (docs/operations.md, "Rate limits").
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly limit: { burst: number; perMinute: number },
    /** Keys remembered at most; the least recently used go first, so memory stays bounded. */
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; false when its bucket is empty (the call must be refused). */
  take(key: string): boolean {
    const now = this.now()
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now }
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 60_000) * this.limit.perMinute)
    bucket.at = now
    // Re-inserted, so the map's order is least recently used first.
    this.buckets.delete(key)
    this.buckets.set(key, bucket)
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }
}
