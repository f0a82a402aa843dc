import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { hashPassword } from '@durable-delivery/api'
import {
  startDevServer,
  startNextServer,
  startWorkerProcess,
  type DevServer,
  type NextServer,
  type WorkerProcess,
} from '@durable-delivery/test-harness'

/** The drivers of the browser tests: DRIVER_ACCOUNTS holds their scrypt hashes, as in production. */
export const DRIVERS = { ana: 'ana-password-1', ben: 'ben-password-2' } as const

export const UI_URL = 'http://temporal-ui.test:8233'

export interface Sites {
  temporal: DevServer
  worker: WorkerProcess
  menu: NextServer
  driver: NextServer
  browser: Browser
  /** The session secret the sites sign cookies with (tests forge cookies without it). */
  secret: string
  stop(): Promise<void>
}

/**
 * A dev server, the real Worker (failure rates 0: randomness is not the subject here) and the
 * production builds of both sites configured as production is: a session secret, driver accounts,
 * operator links on (operators are who these tests check the links for).
 */
export async function startSites(extraEnv: Record<string, string> = {}): Promise<Sites> {
  const ledgerDir = mkdtempSync(join(tmpdir(), 'e2e-ledger-'))
  const temporal = await startDevServer()
  const worker = await startWorkerProcess({
    address: temporal.address,
    env: { PAYMENT_FAILURE_RATE: '0', NOTIFICATION_FAILURE_RATE: '0', LEDGER_PATH: join(ledgerDir, 'ledger.sqlite') },
  })
  const secret = randomBytes(32).toString('base64url')
  const accounts = await Promise.all(
    Object.entries(DRIVERS).map(async ([driverId, password]) => `${driverId}=${await hashPassword(password)}`),
  )
  const env = {
    TEMPORAL_ADDRESS: temporal.address,
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
    worker,
    menu,
    driver,
    browser,
    secret,
    async stop() {
      await browser.close()
      await Promise.all([menu.stop(), driver.stop()])
      await worker.stop()
      await temporal.stop()
      rmSync(ledgerDir, { recursive: true, force: true })
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
