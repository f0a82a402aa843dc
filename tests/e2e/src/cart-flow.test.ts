import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { startTestWorker, type WorkerProcess } from '@durable-delivery/test-harness'
import { seriousViolations } from './accessibility'
import { signIn, startSites, type Sites } from './sites'
import { CART_NAMESPACE, RESTAURANT_ENV } from './stack'

/**
 * A cart on the production builds of both sites, against the suite's real dev server and the
 * real Worker with its simulated restaurant (out of Poke here): placed with a tip by keyboard
 * alone, accepted, prepared and made ready by the restaurant, collected and delivered by a
 * driver, rated with an extra tip; and a shortage answered on the menu. axe-core checks each new
 * screen. Screenshots land in tests/e2e/test-results/ when a test fails.
 */
const SHOTS = join(import.meta.dirname, '..', 'test-results')

let sites: Sites
let worker: WorkerProcess
let customer: { context: BrowserContext; page: Page }
let driver: { context: BrowserContext; page: Page }
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

/** The name a keyboard user hears for the focused element: its aria-label, its label, or its text. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLInputElement | null
    const label = element?.labels?.[0]?.textContent
    return (element?.getAttribute('aria-label') ?? label ?? element?.textContent ?? '').trim()
  })
}

/** Presses Tab until the focused element's name matches, as a keyboard user would reach it. */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press('Tab')
    const focused = await focusedName(page)
    if (typeof name === 'string' ? focused === name : name.test(focused)) return
  }
  throw new Error(`Tab never reached "${String(name)}"`)
}

const cartPanel = () => customer.page.getByRole('region', { name: 'Your cart' })
const orderLine = (orderId: string) => customer.page.locator(`li.order[data-order-id="${orderId}"]`)
const driverRow = (orderId: string) => driver.page.locator(`tr[data-order-id="${orderId}"]`)
const money = (scope: Locator, key: string) => scope.locator(`[data-money="${key}"]`)

/** The newest order card once a placed cart shows up in "Your orders". */
async function newestOrder(before: number): Promise<string> {
  await customer.page.locator('li.order').nth(before).waitFor()
  const orderId = await customer.page.locator('li.order').first().getAttribute('data-order-id')
  expect(orderId).toMatch(/^[0-9a-f-]{36}$/)
  return orderId!
}

beforeAll(async () => {
  worker = await startTestWorker(inject('temporalAddress'), CART_NAMESPACE, {
    ...RESTAURANT_ENV,
    RESTAURANT_SOLD_OUT: '4',
  })
  // The rating is asked for a second after delivery, so the extra tip is given while the test watches.
  sites = await startSites(CART_NAMESPACE, { ORDER_RATING_DELAY: '1s' })
  driver = await openPage(sites.driver.url, 'driver')
  await signIn(driver.page, 'ana')
  customer = await openPage(sites.menu.url, 'menu')
  // The first answer mints this browser's customer cookie: ordering before it would race two.
  await customer.page.getByText('No orders yet').waitFor()
})

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()
    await customer?.page.screenshot({ path: join(SHOTS, `cart-${name}-menu.png`), fullPage: true }).catch(() => {})
    await driver?.page.screenshot({ path: join(SHOTS, `cart-${name}-driver.png`), fullPage: true }).catch(() => {})
  })
})

afterAll(async () => {
  await sites?.stop()
  await worker?.stop()
})

describe('a cart on the menu', () => {
  it('keeps its dishes, quantities and tip across a reload, within its limits', async () => {
    const page = customer.page
    await page.getByRole('button', { name: 'Add to cart: Poke' }).click()
    await page.getByRole('status').filter({ hasText: 'Poke added: 1 in your cart' }).waitFor()
    await cartPanel().getByLabel('Quantity of Poke').selectOption('9')
    await page.getByRole('button', { name: 'Add to cart: Potato' }).click()
    // Nine Poke and a Potato: the Potato's quantity can go to 9 as well, the order's 20 allowing it.
    expect(await cartPanel().getByLabel('Quantity of Potato').locator('option').count()).toBe(9)
    await cartPanel().getByRole('radio', { name: /^20 %/ }).check()
    expect(await money(cartPanel(), 'total').textContent()).toBe('$234.00')
    await page.reload()
    await cartPanel().waitFor()
    expect(await cartPanel().getByLabel('Quantity of Poke').inputValue()).toBe('9')
    expect(await cartPanel().getByRole('radio', { name: /^20 %/ }).isChecked()).toBe(true)
    await cartPanel().getByRole('button', { name: 'Empty the cart' }).click()
    await cartPanel().waitFor({ state: 'detached' })
    await page.reload()
    await page.getByRole('button', { name: 'Add to cart: Poke' }).waitFor()
    expect(await cartPanel().count()).toBe(0)
  })

  it('a cart of three items with a tip, by keyboard alone, goes through the restaurant to delivery', async () => {
    const page = customer.page
    await tabTo(page, 'Add to cart: Burrata')
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Burrata added: 1 in your cart' }).waitFor()
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Burrata added: 2 in your cart' }).waitFor()
    await tabTo(page, 'Add to cart: Potato')
    await page.keyboard.press('Enter')
    await cartPanel().getByLabel('Quantity of Potato').waitFor()
    // Into the tip's radio group (on "No tip"), then the arrows: 10 %, 15 %.
    await tabTo(page, 'No tip')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    expect(await cartPanel().getByRole('radio', { name: /^15 %/ }).isChecked()).toBe(true)
    expect(await money(cartPanel(), 'subtotal').textContent()).toBe('$55.00')
    expect(await money(cartPanel(), 'tip').textContent()).toBe('$8.25')
    expect(await money(cartPanel(), 'total').textContent()).toBe('$63.25')
    expect(await seriousViolations(page)).toEqual([])

    const before = await page.locator('li.order').count()
    await tabTo(page, 'Place order · $63.25')
    await page.keyboard.press('Enter')
    const orderId = await newestOrder(before)
    await cartPanel().waitFor({ state: 'detached' })
    const line = orderLine(orderId)
    await line.getByText('2 × Burrata, 1 × Potato').waitFor()

    // The restaurant accepts and cooks: the card says so, the driver sees it coming but cannot collect it yet.
    await line.getByText(/is preparing it · ready in about 1 minute/).waitFor({ timeout: 20_000 })
    expect(await money(line, 'total').textContent()).toContain('$63.25')
    expect(await money(line, 'tip').textContent()).toContain('$8.25')
    const row = driverRow(orderId)
    await row.locator('.badge', { hasText: /^Preparing$/ }).waitFor({ timeout: 10_000 })
    expect(await row.getByText('2 × Burrata').count()).toBe(1)
    expect(await row.getByText('Tip $8.25').count()).toBe(1)
    expect(await row.getByRole('button', { name: /^Pick up/ }).isDisabled()).toBe(true)
    expect(await seriousViolations(driver.page)).toEqual([])

    await line.getByText('Ready at the restaurant · waiting for a driver').waitFor({ timeout: 20_000 })
    await row.locator('.badge', { hasText: /^Ready$/ }).waitFor({ timeout: 10_000 })
    await row.getByRole('button', { name: /^Pick up/ }).click()
    await row.locator('.badge', { hasText: /^Picked up$/ }).waitFor({ timeout: 10_000 })
    await row.getByRole('button', { name: /^Deliver/ }).click()
    await line.locator('.badge', { hasText: /^Delivered$/ }).waitFor({ timeout: 10_000 })

    // The rating, with something more for the driver, by keyboard too.
    const form = line.getByRole('form', { name: 'Rate your order' })
    await form.waitFor({ timeout: 15_000 })
    expect(await seriousViolations(page)).toEqual([])
    await form.getByRole('radio', { name: '5 stars' }).focus()
    await page.keyboard.press('Space')
    await form.getByLabel(/Add to your driver's tip/).focus()
    await page.keyboard.type('3')
    await tabTo(page, 'Send rating')
    await page.keyboard.press('Enter')
    await line.getByRole('img', { name: '5 stars out of 5' }).waitFor({ timeout: 10_000 })
    await money(line, 'extra-tip').getByText('$3.00').waitFor({ timeout: 15_000 })
    await line.getByText(/added to your driver's tip/).waitFor({ timeout: 15_000 })
  })

  it('asks about a dish the restaurant is out of, and goes ahead without it on Go ahead, with a partial refund', async () => {
    const page = customer.page
    await page.getByRole('button', { name: 'Add to cart: Burrata' }).click()
    await page.getByRole('button', { name: 'Add to cart: Poke' }).click()
    await cartPanel().getByRole('radio', { name: /^10 %/ }).check()
    const before = await page.locator('li.order').count()
    await cartPanel().getByRole('button', { name: 'Place order · $44.00' }).click()
    const orderId = await newestOrder(before)
    const line = orderLine(orderId)
    const question = line.getByRole('group', { name: /The restaurant is out of Poke/ })
    await question.waitFor({ timeout: 20_000 })
    // Poke's $20 and its share of the tip ($2) go back if the customer goes ahead.
    expect(await question.getByRole('alert').textContent()).toContain('$22.00 back to your card')
    expect(await question.getByRole('timer').textContent()).toMatch(/^\d+:\d\d to answer/)
    expect(await line.getByRole('button', { name: /^Cancel/ }).count()).toBe(1)
    expect(await seriousViolations(page)).toEqual([])
    await tabTo(page, 'Go ahead without Poke')
    await page.keyboard.press('Enter')
    await question.waitFor({ state: 'detached', timeout: 15_000 })
    await line.getByText('1 × Burrata').first().waitFor({ timeout: 10_000 })
    await money(line, 'refunded').getByText('$22.00').waitFor({ timeout: 10_000 })
    expect(await money(line, 'subtotal').textContent()).toContain('$20.00')
    expect(await money(line, 'tip').textContent()).toContain('$2.00')
    // The driver collects what is really in the bag: the Burrata, with the tip as it fell.
    const row = driverRow(orderId)
    await row.locator('.badge', { hasText: /^Ready$/ }).waitFor({ timeout: 20_000 })
    await row.getByText('Tip $2.00').waitFor({ timeout: 10_000 })
    expect(await row.getByText('1 × Burrata').count()).toBe(1)
    expect(await row.getByText(/Poke/).count()).toBe(0)
  })

  it('printed no console errors on either page', () => {
    expect(problems).toEqual([])
  })
})
