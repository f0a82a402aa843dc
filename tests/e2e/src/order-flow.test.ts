import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { firstLoadJsBytes } from '@durable-delivery/test-harness'
import { seriousViolations } from './accessibility'
import { signIn, startSites, UI_URL, type Sites } from './sites'
import { ORDER_FLOW_NAMESPACE } from './stack'

/**
 * A customer and a driver, each in their own browser, on the production builds of both sites,
 * against a real Temporal dev server and the real Worker. Screenshots of both pages land in
 * tests/e2e/test-results/ when a test fails.
 */
const SHOTS = join(import.meta.dirname, '..', 'test-results')

let sites: Sites
let customer: { context: BrowserContext; page: Page }
let driver: { context: BrowserContext; page: Page }
/** Console errors and uncaught exceptions, per page: a page that works prints none. */
const problems: string[] = []

async function openPage(url: string, name: string) {
  const context = await sites.browser.newContext()
  const page = await context.newPage()
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${name} console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`${name} page error: ${error.message}`))
  await page.goto(url)
  return { context, page }
}

/** The customer's line for an order, and the driver's row for it. */
const orderLine = (orderId: string) => customer.page.locator(`li.order[data-order-id="${orderId}"]`)
const driverRow = (orderId: string) => driver.page.locator(`tr[data-order-id="${orderId}"]`)

/**
 * Presses Tab until the focused element is the button with this accessible name (as a keyboard
 * user would reach it), then Enter. Fails if Tab never gets there.
 */
async function pressByKeyboard(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const element = document.activeElement
      return element?.getAttribute('aria-label') ?? element?.textContent ?? ''
    })
    if (focused.trim() === name) {
      await page.keyboard.press('Enter')
      return
    }
  }
  throw new Error(`Tab never reached a button named "${name}"`)
}

/** Clicks the Order button of a dish and returns the id of the order that appears in the history. */
async function order(dish: string): Promise<string> {
  const before = await customer.page.locator('li.order').count()
  await customer.page.getByRole('button', { name: `Order ${dish}` }).click()
  await customer.page.locator('li.order').nth(before).waitFor()
  const orderId = await customer.page.locator('li.order').first().getAttribute('data-order-id')
  expect(orderId).toMatch(/^[0-9a-f-]{36}$/)
  return orderId!
}

beforeAll(async () => {
  sites = await startSites(ORDER_FLOW_NAMESPACE)
  driver = await openPage(sites.driver.url, 'driver')
  await signIn(driver.page, 'ana')
  customer = await openPage(sites.menu.url, 'menu')
})

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()
    await customer?.page.screenshot({ path: join(SHOTS, `${name}-menu.png`), fullPage: true }).catch(() => undefined)
    await driver?.page.screenshot({ path: join(SHOTS, `${name}-driver.png`), fullPage: true }).catch(() => undefined)
  })
})

afterAll(async () => {
  await sites?.stop()
})

describe('the two sites in a browser', () => {
  it('show the menu with its four dishes, and an empty driver list', async () => {
    for (const [dish, price] of [
      ['Swordfish', '$35.00'],
      ['Burrata', '$20.00'],
      ['Potato', '$15.00'],
      ['Poke', '$20.00'],
    ]) {
      const card = customer.page.locator('article.dish', { has: customer.page.getByRole('heading', { name: dish }) })
      await expect(card.locator('.price').textContent()).resolves.toBe(price)
      // Our own artwork, served by the site, actually decoded by the browser.
      const loaded = await card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)
      expect(loaded).toBe(true)
    }
    await customer.page.getByText('No orders yet').waitFor()
    await driver.page.getByText('No paid orders are waiting').waitFor()
  })

  it('take a Burrata from Order to Delivered: paid, picked up and delivered by the driver', async () => {
    const clicked = Date.now()
    const orderId = await order('Burrata')
    const line = orderLine(orderId)
    await line
      .getByRole('status')
      .filter({ hasText: /^Paid$/ })
      .waitFor({ timeout: 20_000 })
    console.log(`Order → Paid seen in the menu after ${Date.now() - clicked} ms (failure rates 0)`)

    const row = driverRow(orderId)
    await row.locator('.badge', { hasText: /^Paid$/ }).waitFor({ timeout: 10_000 })
    expect(await row.getByRole('link').getAttribute('href')).toBe(`${UI_URL}/namespaces/default/workflows/${orderId}`)
    expect(await row.getByRole('button', { name: /^Deliver/ }).count()).toBe(0)
    await row.getByRole('button', { name: /^Pick up/ }).click()
    await row.locator('.badge', { hasText: /^Picked up$/ }).waitFor({ timeout: 10_000 })
    await line
      .getByRole('status')
      .filter({ hasText: /^Picked up$/ })
      .waitFor({ timeout: 10_000 })
    // On its way: the customer can no longer cancel it.
    expect(await line.getByRole('button', { name: 'Cancel Burrata' }).count()).toBe(0)

    await row.getByRole('button', { name: /^Deliver/ }).click()
    await row.locator('.badge', { hasText: /^Delivered$/ }).waitFor({ timeout: 10_000 })
    expect(await row.getByRole('button').count()).toBe(0)

    await line
      .getByRole('status')
      .filter({ hasText: /^Delivered$/ })
      .waitFor({ timeout: 10_000 })
    const deliveredAt = await line.locator('.delivered').textContent()
    expect(deliveredAt).toMatch(/^Delivered at \d{1,2}:\d{2}:\d{2}/)
    await line.getByRole('button', { name: 'Buy again: Burrata' }).waitFor()
    expect(await line.getByRole('link', { name: 'Open in Temporal' }).getAttribute('href')).toContain(orderId)
  })

  it('pass axe-core on both pages with orders on them: no serious or critical violations', async () => {
    expect(await seriousViolations(customer.page)).toEqual([])
    expect(await seriousViolations(driver.page)).toEqual([])
  })

  it('take an order from the menu to Delivered by keyboard alone, on both sites', async () => {
    const before = await customer.page.locator('li.order').count()
    await customer.page.reload()
    await pressByKeyboard(customer.page, 'Order Poke')
    await customer.page.locator('li.order').nth(before).waitFor()
    const orderId = (await customer.page.locator('li.order').first().getAttribute('data-order-id'))!
    const line = orderLine(orderId)
    await line
      .getByRole('status')
      .filter({ hasText: /^Paid$/ })
      .waitFor({ timeout: 20_000 })
    const row = driverRow(orderId)
    await row.locator('.badge', { hasText: /^Paid$/ }).waitFor({ timeout: 10_000 })
    const orderName = `order ${orderId.slice(0, 8)} (Poke)`
    await driver.page.reload()
    await pressByKeyboard(driver.page, `Pick up ${orderName}`)
    await row.locator('.badge', { hasText: /^Picked up$/ }).waitFor({ timeout: 10_000 })
    await driver.page.reload()
    await pressByKeyboard(driver.page, `Deliver ${orderName}`)
    await line
      .getByRole('status')
      .filter({ hasText: /^Delivered$/ })
      .waitFor({ timeout: 10_000 })
  })

  it('show a declined Swordfish as Failed with the reason, on both sites, with nothing to click for the driver', async () => {
    const orderId = await order('Swordfish')
    const line = orderLine(orderId)
    await line
      .getByRole('status')
      .filter({ hasText: /^Failed$/ })
      .waitFor({ timeout: 20_000 })
    await line.locator('p.error', { hasText: 'Card declined' }).waitFor()
    const row = driverRow(orderId)
    await row.locator('.badge', { hasText: /^Failed$/ }).waitFor({ timeout: 10_000 })
    expect(await row.getByRole('button').count()).toBe(0)
  })

  it("cancel a Poke before pickup: the workflow's answer shown, refunded, Cancelled on both sites", async () => {
    const orderId = await order('Poke')
    const line = orderLine(orderId)
    await line
      .getByRole('status')
      .filter({ hasText: /^Paid$/ })
      .waitFor({ timeout: 20_000 })
    await line.getByRole('button', { name: 'Cancel Poke' }).click()
    await line.getByText('Your order is cancelled. Anything charged will be refunded.').waitFor({ timeout: 10_000 })
    await line
      .getByRole('status')
      .filter({ hasText: /^Cancelled$/ })
      .waitFor({ timeout: 20_000 })
    await line.getByText('Cancelled by the customer').waitFor()
    expect(await line.getByRole('button', { name: 'Cancel Poke' }).count()).toBe(0)
    const row = driverRow(orderId)
    await row.locator('.badge', { hasText: /^Cancelled$/ }).waitFor({ timeout: 10_000 })
    expect(await row.getByRole('button').count()).toBe(0)
  })

  it('buy again: a second, separate order of the same dish', async () => {
    const first = await customer.page.locator('li.order').count()
    await customer.page.getByRole('button', { name: 'Buy again: Burrata' }).click()
    await customer.page.locator('li.order').nth(first).waitFor()
    const newest = customer.page.locator('li.order').first()
    await newest
      .getByRole('status')
      .filter({ hasText: /^Paid$/ })
      .waitFor({ timeout: 20_000 })
    expect(await newest.locator('strong').textContent()).toBe('Burrata')
  })

  it('order once when the answer to Order is lost on the way back and the customer clicks again', async () => {
    let lost = false
    await customer.page.route('**/api/*createOrder*', async (route) => {
      if (lost) return route.continue()
      lost = true
      await route.fetch() // the site receives the request and starts the order...
      return route.abort('connectionreset') // ...but its answer never reaches the browser
    })
    const before = await customer.page.locator('li.order').count()
    const button = customer.page.getByRole('button', { name: 'Order Potato' })
    await button.click()
    const card = customer.page.locator('article.dish', { has: button })
    await card.getByRole('alert').filter({ hasText: "The site's server did not answer" }).waitFor({ timeout: 10_000 })
    await button.click()
    await customer.page.locator('li.order').nth(before).waitFor({ timeout: 10_000 })
    expect(await card.getByRole('alert').count()).toBe(0)
    const orderId = await customer.page.locator('li.order').first().getAttribute('data-order-id')
    await driverRow(orderId!)
      .locator('.badge', { hasText: /^Paid$/ })
      .waitFor({ timeout: 20_000 })
    // One order in the customer's history and one in the driver's list, not two.
    expect(await customer.page.locator('li.order').count()).toBe(before + 1)
    expect(await driver.page.locator('tr', { hasText: 'Potato' }).count()).toBe(1)
    await customer.page.unroute('**/api/*createOrder*')
  })

  it("clear a driver button's pending state when its request fails, and let the driver try again", async () => {
    const orderId = await order('Poke')
    const row = driverRow(orderId)
    await row.locator('.badge', { hasText: /^Paid$/ }).waitFor({ timeout: 20_000 })
    // The network drops the first Pick up request (a real fault between browser and site).
    let dropped = false
    await driver.page.route('**/api/driverList.pickUp**', async (route) => {
      if (dropped) return route.continue()
      dropped = true
      return route.abort('connectionreset')
    })
    const pickUp = row.getByRole('button', { name: /^Pick up/ })
    await pickUp.click()
    await row.getByRole('alert').filter({ hasText: "The site's server did not answer" }).waitFor({ timeout: 10_000 })
    expect(await pickUp.isEnabled()).toBe(true)
    await pickUp.click()
    await row.locator('.badge', { hasText: /^Picked up$/ }).waitFor({ timeout: 10_000 })
    expect(await row.getByRole('alert').count()).toBe(0)
    await driver.page.unroute('**/api/driverList.pickUp**')
  })

  it('printed no console errors on either page', () => {
    // The dropped request of the test above is the one error the browser was meant to see.
    problems.splice(0, problems.length, ...problems.filter((problem) => !problem.includes('ERR_CONNECTION_RESET')))
    expect(problems).toEqual([])
  })

  it('weigh about a bare page plus React Query and tRPC', () => {
    // The original sample's page weighs 129.2 KiB, and neither site may weigh more; Next + the
    // required client libraries alone 127.4 (`npm run bench -- --scenario weight`). The menu is at
    // 127.5 and the driver at 128.0 (docs/benchmarks.md).
    const limits = { menu: 129.2, driver: 129.2 }
    for (const site of ['menu', 'driver'] as const) {
      const kB = firstLoadJsBytes(site) / 1024
      console.log(`${site} /: first-load JS ${kB.toFixed(1)} kB gzip`)
      expect(kB).toBeLessThanOrEqual(limits[site])
    }
  })

  it('say so, on the page, when Temporal cannot be reached: the driver keeps the last list, marked as not refreshed', async () => {
    const rows = await driver.page.locator('tr[data-order-id]').count()
    await sites.temporal.close()
    await driver.page
      .getByRole('status')
      .filter({ hasText: 'Temporal is not answering right now' })
      .first()
      .waitFor({ timeout: 30_000 })
    // Each section learns it on its own next read (the shared reads fail one by one): all of them, shortly.
    await expect
      .poll(() => driver.page.locator('tr.stale[data-order-id]').count(), { timeout: 30_000, interval: 250 })
      .toBe(rows)
    await customer.page.reload()
    await customer.page.getByRole('button', { name: 'Order Potato' }).click()
    await customer.page.getByRole('alert').filter({ hasText: 'Service unavailable' }).waitFor({ timeout: 30_000 })
    expect(await customer.page.getByRole('button', { name: 'Order Potato' }).isEnabled()).toBe(true)
  })
})
