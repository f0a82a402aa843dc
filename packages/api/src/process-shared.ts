import { DriverListFeed } from './driver-list-feed'
import { RateLimiter } from './security/rate-limiter'
import { SharedRead } from './visibility/shared-read'

/**
 * What the requests of one server process share: the rate limits' counts and the shared
 * visibility reads. One per process (kept on globalThis, so Next's dev reloads keep it).
 */
export interface ProcessShared {
  /**
   * Placing orders: a customer may place 5 at once and 20 a minute; one address (a household,
   * an office, a script) 20 at once and 60 a minute. Enough for a hungry family, not for a flood.
   */
  placePerCustomer: RateLimiter
  placePerAddress: RateLimiter
  /** Driver sign-in attempts per address: guessing passwords gets 10 tries a minute. */
  signInPerAddress: RateLimiter
  /** Driver-list reads, shared by every driver of the process for a second (longer for slow reads). */
  lists: SharedRead<unknown>
  /** Pushes "the driver list changed" to the process's open portals. */
  driverListFeed: DriverListFeed
}

type Limit = ConstructorParameters<typeof RateLimiter>[0]

export const DEFAULT_LIMITS = {
  placePerCustomer: { burst: 5, perMinute: 20 },
  placePerAddress: { burst: 20, perMinute: 60 },
  signInPerAddress: { burst: 5, perMinute: 10 },
} satisfies Record<string, Limit>

const NONE = { burst: 1_000_000, perMinute: 1_000_000 }
/** For tests, benchmarks and tools that place orders by the thousand in-process. */
export const NO_LIMITS = { placePerCustomer: NONE, placePerAddress: NONE, signInPerAddress: NONE }

/** `limits`: tests and benchmarks that place orders by the hundred raise them. */
export function createProcessShared(
  limits: Record<keyof typeof DEFAULT_LIMITS, Limit> = DEFAULT_LIMITS,
): ProcessShared {
  return {
    placePerCustomer: new RateLimiter(limits.placePerCustomer),
    placePerAddress: new RateLimiter(limits.placePerAddress),
    signInPerAddress: new RateLimiter(limits.signInPerAddress),
    lists: new SharedRead({ freshMs: 1_000, staleMs: 10_000, maxKeys: 1_000, readCostFactor: 4 }),
    driverListFeed: new DriverListFeed(),
  }
}

export function processShared(limits?: Parameters<typeof createProcessShared>[0]): ProcessShared {
  const holder = globalThis as { __durableDeliveryShared?: ProcessShared }
  return (holder.__durableDeliveryShared ??= createProcessShared(limits))
}
