import type { SiteConfig } from '@durable-delivery/common/config'
import { DECOY_HASH, verifyPassword } from './password'

/** The id a development portal without accounts signs in as, in one click. */
export const DEMO_DRIVER_ID = 'demo-driver'

/** The drivers who may sign in: DRIVER_ACCOUNTS, or in development without accounts one demo driver. */
export class DriverDirectory {
  private readonly hashes: Map<string, string>
  /** Development without DRIVER_ACCOUNTS: a one-click demo driver instead of passwords. */
  readonly demo: boolean

  constructor(config: Pick<SiteConfig, 'driverAccounts' | 'production'>) {
    this.hashes = new Map(config.driverAccounts.map((account) => [account.driverId, account.passwordHash]))
    this.demo = !config.production && this.hashes.size === 0
  }

  /** Whether a session for this driver is still good: an account removed from the config ends its sessions. */
  has(driverId: string): boolean {
    return this.demo ? driverId === DEMO_DRIVER_ID : this.hashes.has(driverId)
  }

  /** Whether these credentials are a driver's; takes as long for an unknown id as for a wrong password. */
  async verify(driverId: string, password: string): Promise<boolean> {
    const hash = this.hashes.get(driverId)
    const matches = await verifyPassword(password, hash ?? DECOY_HASH)
    return hash !== undefined && matches
  }
}
