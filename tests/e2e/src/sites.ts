import { randomBytes } from 'node:crypto'
import { chromium, type Browser, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { hashPassword } from '@durable-delivery/api'
import { forwardPort, startNextServer, type ForwardedPort, type NextServer } from '@durable-delivery/test-harness'

/** The drivers of the browser tests: DRIVER_ACCOUNTS holds their scrypt hashes, as in production. */
export const DRIVERS = { ana: 'ana-password-1', ben: 'ben-password-2' } as const

export const UI_URL = 'http://temporal-ui.test:8233'

export interface Sites {
  /** The sites' way to the suite's dev server: closing it is Temporal going away, for these sites alone. */
  temporal: ForwardedPort
  menu: NextServer
  driver: NextServer
  browser: Browser
  /** The session secret the sites sign cookies with (tests forge cookies without it). */
  secret: string
  stop(): Promise<void>
}

/**
 * The production builds of both sites on `namespace` of the suite's dev server (where the suite's
 * Worker runs, see stack.ts), configured as production is: a session secret, driver accounts,
 * operator links on (operators are who these tests check the links for). `extraEnv` adds to it
 * (e.g. a short ORDER_RATING_DELAY).
 */
export async function startSites(namespace: string, extraEnv: Record<string, string> = {}): Promise<Sites> {
  const temporal = await forwardPort(inject('temporalAddress'))
  const secret = randomBytes(32).toString('base64url')
  const accounts = await Promise.all(
    Object.entries(DRIVERS).map(async ([driverId, password]) => `${driverId}=${await hashPassword(password)}`),
  )
  const env = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_UI_URL: UI_URL,
    SESSION_SECRET: secret,
    DRIVER_ACCOUNTS: accounts.join(','),
    OPERATOR_LINKS: 'on',
    ...extraEnv,
  }
  const [menu, driver] = await Promise.all([startNextServer('menu', env), startNextServer('driver', env)])
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  return {
    temporal,
    menu,
    driver,
    browser,
    secret,
    async stop() {
      await browser.close()
      await Promise.all([menu.stop(), driver.stop()])
      await temporal.close()
    },
  }
}

/** Signs a driver in on the portal's sign-in page, as they would. */
export async function signIn(page: Page, driverId: keyof typeof DRIVERS): Promise<void> {
  await page.getByLabel('Driver id').fill(driverId)
  await page.getByLabel('Password').fill(DRIVERS[driverId])
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator(`[data-driver-id="${driverId}"]`).waitFor()
}
