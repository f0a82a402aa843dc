/**
 * Who is asking, as the procedures see it. The sites build it from the request's signed cookies
 * (`cookieIdentity`); tests and tools that call the routers in-process give a fixed one.
 */
export interface Identity {
  /**
   * This browser's customer: read from its cookie, or minted (and the cookie set) on first use.
   * Undefined where there is no browser to remember one (an in-process caller without a customer).
   */
  customerId(): string | undefined
  /** The signed-in driver, if any. */
  readonly driverId: string | undefined
  /** Starts a driver session (the cookie is set on this response). */
  signInDriver(driverId: string): void
  signOutDriver(): void
  /** False when a mutation comes from another site's page (the request's Origin is not ours): CSRF. */
  readonly sameOrigin: boolean
  /** The client's address, for per-address rate limits. */
  readonly clientAddress: string
}

/** A customer id: what the `CustomerId` search attribute and visibility queries hold. */
export const CUSTOMER_ID_PATTERN = /^c_[A-Za-z0-9_-]{16,64}$/

/** An identity that does not change: tests, benchmarks and tools calling the routers in-process. */
export function fixedIdentity(who: { customerId?: string; driverId?: string; clientAddress?: string } = {}): Identity {
  let driverId = who.driverId
  return {
    customerId: () => who.customerId,
    get driverId() {
      return driverId
    },
    signInDriver(id) {
      driverId = id
    },
    signOutDriver() {
      driverId = undefined
    },
    sameOrigin: true,
    clientAddress: who.clientAddress ?? 'in-process',
  }
}
