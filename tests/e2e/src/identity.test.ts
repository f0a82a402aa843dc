import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CUSTOMER_COOKIE, DRIVER_COOKIE } from '@durable-delivery/api'
import { seriousViolations } from './accessibility'
import { callApi, startNextServer, type HttpApi } from '@durable-delivery/test-harness'
import { signIn, startSites, type Sites } from './sites'
import { IDENTITY_NAMESPACE } from './stack'

/**
 * Who sees and does what, on the production builds: customers own their orders (two browsers,
 * two customers), drivers sign in and own their deliveries, and the API refuses what a script
 * without a session, with a forged cookie or from another site's page would try.
 */
let sites: Sites

beforeAll(async () => {
  sites = await startSites(IDENTITY_NAMESPACE)
})

afterAll(async () => {
  await sites?.stop()
})

async function newPage(url: string): Promise<Page> {
  const context = await sites.browser.newContext()
  const page = await context.newPage()
  await page.goto(url)
  return page
}

/** Orders a dish on a menu page and returns the new order's id once it is Paid. */
async function orderPaid(page: Page, dish: string): Promise<string> {
  const before = await page.locator('li.order').count()
  await page.getByRole('button', { name: `Order ${dish}` }).click()
  await page.locator('li.order').nth(before).waitFor()
  const line = page.locator('li.order').first()
  await line
    .locator('[data-state="Paid"], [role="status"]', { hasText: /^Paid$/ })
    .first()
    .waitFor({ timeout: 20_000 })
  return (await line.getAttribute('data-order-id'))!
}

const ids = (page: Page) => page.locator('li.order').evaluateAll((lines) => lines.map((l) => l.dataset.orderId))

/** A script's view of a site's API: its own cookie jar, the site's Origin unless told otherwise. */
const apiOf = (url: string): HttpApi => ({ url: `${url}/api`, close: async () => {}, cookies: new Map() })

describe('customers own their orders', () => {
  it("two browsers are two customers who never see each other's orders; a reload, a new tab and cleared storage keep them", async () => {
    const alice = await newPage(sites.menu.url)
    const bob = await newPage(sites.menu.url)
    const aliceOrder = await orderPaid(alice, 'Burrata')
    const bobOrder = await orderPaid(bob, 'Potato')
    expect(await ids(alice)).toEqual([aliceOrder])
    expect(await ids(bob)).toEqual([bobOrder])

    // Cleared storage and a reload: the list comes from the server, by the customer's cookie.
    await alice.evaluate(() => localStorage.clear())
    await alice.reload()
    await alice.locator(`li.order[data-order-id="${aliceOrder}"]`).waitFor()
    const tab = await alice.context().newPage()
    await tab.goto(sites.menu.url)
    await tab.locator(`li.order[data-order-id="${aliceOrder}"]`).waitFor()
    expect(await ids(tab)).toEqual([aliceOrder])

    // Bob asking for Alice's order by id gets what an unknown id gets.
    const stranger = await bob.evaluate(async (orderId) => {
      const input = encodeURIComponent(JSON.stringify(orderId))
      const answer = await fetch(`/api/order.getOrderStatus?input=${input}`)
      return { status: answer.status, body: await answer.text() }
    }, aliceOrder)
    expect(stranger.status).toBe(404)
    expect(stranger.body).toContain(`Order ${aliceOrder}: no such order`)
  })

  it('give a new browser its customer with the first page: orders placed at once, before any answer, are all its own', async () => {
    const context = await sites.browser.newContext()
    const page = await context.newPage()
    // The page's first API call is held until both orders are placed: they race it for certain.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/api/*myOrders*', async (route) => {
      await held
      await route.continue()
    })
    const firstCall = page.waitForRequest('**/api/*myOrders*')
    const answer = await page.goto(sites.menu.url)
    expect((await answer!.headerValue('set-cookie')) ?? '').toMatch(/^dd_customer=/)
    await firstCall // the page is live (hydrated) and its first call is on its way
    // One after the other (one mouse), both while the first call is still unanswered.
    await page.getByRole('button', { name: 'Order Potato' }).click()
    await page.getByRole('button', { name: 'Order Poke' }).click()
    await page.locator('li.order').nth(1).waitFor()
    release()
    const placed = await ids(page)
    await page.evaluate(() => localStorage.clear())
    await page.reload()
    await page.locator('li.order').nth(1).waitFor()
    expect((await ids(page)).sort()).toEqual([...placed].sort())
  })
})

describe('drivers sign in and own their deliveries', () => {
  it('show the sign-in page without a session, refuse a wrong password, and let a driver pick up and see it in My deliveries; another driver cannot deliver it', async () => {
    const customer = await newPage(sites.menu.url)
    const orderId = await orderPaid(customer, 'Poke')

    const ana = await newPage(sites.driver.url)
    await ana.getByRole('heading', { name: 'Sign in' }).waitFor()
    expect(await ana.locator('table').count()).toBe(0)
    expect(await seriousViolations(ana)).toEqual([])
    await ana.getByLabel('Driver id').fill('ana')
    await ana.getByLabel('Password').fill('not-her-password')
    await ana.getByRole('button', { name: 'Sign in' }).click()
    await ana.getByRole('alert').filter({ hasText: 'Wrong driver id or password' }).waitFor()
    await signIn(ana, 'ana')

    const ready = ana.locator('[data-section="ready"]')
    const mine = ana.locator('[data-section="mine"]')
    await ready.locator(`tr[data-order-id="${orderId}"]`).waitFor({ timeout: 10_000 })
    // Oldest first, with the time left before the refund.
    await ready
      .locator(`tr[data-order-id="${orderId}"]`)
      .getByRole('timer')
      .filter({ hasText: /^\d+:\d{2} left$/ })
      .waitFor()
    await ready
      .locator(`tr[data-order-id="${orderId}"]`)
      .getByRole('button', { name: /^Pick up/ })
      .click()
    await mine.locator(`tr[data-order-id="${orderId}"][data-state="Picked up"]`).waitFor({ timeout: 10_000 })
    // The delivery countdown lands a moment after the pickup; the section asks for it until it has it.
    await mine
      .locator(`tr[data-order-id="${orderId}"]`)
      .getByRole('timer')
      .filter({ hasText: /^\d+:\d{2} left$/ })
      .waitFor({ timeout: 10_000 })

    const ben = await newPage(sites.driver.url)
    await signIn(ben, 'ben')
    await ben.locator('[data-section="mine"]').getByText('You have no orders on the way').waitFor()
    // Ben's portal offers nothing for Ana's order; his session asking anyway is refused by the workflow.
    const refused = await ben.evaluate(async (id) => {
      const answer = await fetch('/api/driverList.deliver', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(id),
      })
      return { status: answer.status, body: await answer.text() }
    }, orderId)
    expect(refused.status).toBe(412)
    expect(refused.body).toContain('picked up by another driver (ana)')

    await mine
      .locator(`tr[data-order-id="${orderId}"]`)
      .getByRole('button', { name: /^Deliver/ })
      .click()
    await customer.locator(`li.order[data-order-id="${orderId}"][data-state="Delivered"]`).waitFor({ timeout: 10_000 })
    // The customer rates the meal on the menu; the driver sees the stars on the order.
    const form = customer.getByRole('form', { name: 'Rate your Poke' })
    await form.getByRole('radio', { name: '5 stars' }).check()
    await form.getByRole('button', { name: 'Send rating' }).click()
    await ana
      .locator(`[data-section="closed"] tr[data-order-id="${orderId}"]`)
      .getByRole('img', { name: 'Rated 5 of 5 stars' })
      .waitFor({ timeout: 10_000 })

    await ana.getByRole('button', { name: 'Sign out' }).click()
    await ana.getByRole('heading', { name: 'Sign in' }).waitFor()
  })
})

describe('a portal configured for production', () => {
  it('refuses to start without DRIVER_ACCOUNTS, with one line naming the variable', async () => {
    const started = startNextServer('driver', {
      SESSION_SECRET: sites.secret,
      TEMPORAL_ADDRESS: sites.temporal.address,
    })
    await expect(started).rejects.toThrow(/Configuration error: DRIVER_ACCOUNTS: must be set in production/)
  })
})

describe('the API refuses a script', () => {
  it('without a driver session: the pick-up-everything attack fails at the first order', async () => {
    const script = apiOf(sites.driver.url)
    for (const [path, method, input] of [
      ['driverList.listSection', 'GET', { section: 'ready' }],
      ['driverList.pickUp', 'POST', randomUUID()],
      ['driverList.deliver', 'POST', randomUUID()],
    ] as const) {
      const answer = await callApi(script, path, { method, input })
      expect([path, answer.status, answer.code]).toEqual([path, 401, 'UNAUTHORIZED'])
    }
  })

  it('with a forged or tampered cookie: it counts as no cookie at all', async () => {
    const driver = apiOf(sites.driver.url)
    expect(
      (await callApi(driver, 'auth.signIn', { method: 'POST', input: { driverId: 'ana', password: 'ana-password-1' } }))
        .status,
    ).toBe(200)
    const token = driver.cookies!.get(DRIVER_COOKIE)!
    expect(
      (await callApi(driver, 'driverList.listSection', { method: 'GET', input: { section: 'ready' } })).status,
    ).toBe(200)
    // Claiming to be Ben with Ana's signature, or flipping a character of the signature.
    const [, signature] = token.split('.')
    const asBen = `${Buffer.from(JSON.stringify({ d: 'ben', exp: 4_102_444_800 })).toString('base64url')}.${signature}`
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
    for (const forged of [asBen, flipped, 'garbage']) {
      driver.cookies!.set(DRIVER_COOKIE, forged)
      const answer = await callApi(driver, 'driverList.listSection', { method: 'GET', input: { section: 'ready' } })
      expect([forged, answer.status]).toEqual([forged, 401])
    }

    // A customer's cookie changed: a new customer, to whom the old order does not exist.
    const customer = apiOf(sites.menu.url)
    const orderId = randomUUID()
    expect(
      (await callApi(customer, 'order.createOrder', { method: 'POST', input: { orderId, productId: 4 } })).status,
    ).toBe(200)
    const cookie = customer.cookies!.get(CUSTOMER_COOKIE)!
    customer.cookies!.set(CUSTOMER_COOKIE, cookie.slice(0, -1) + (cookie.endsWith('A') ? 'B' : 'A'))
    const answer = await callApi(customer, 'order.getOrderStatus', { method: 'GET', input: orderId })
    expect([answer.status, answer.message]).toEqual([404, `Order ${orderId}: no such order`])
  })

  it("from another site's page (CSRF): a mutation with a foreign or missing Origin is FORBIDDEN and changes nothing", async () => {
    const customer = apiOf(sites.menu.url)
    for (const origin of ['https://evil.example', null]) {
      const orderId = randomUUID()
      const answer = await callApi(customer, 'order.createOrder', {
        method: 'POST',
        input: { orderId, productId: 2 },
        origin,
      })
      expect([origin, answer.status, answer.code]).toEqual([origin, 403, 'FORBIDDEN'])
      const status = await callApi(customer, 'order.getOrderStatus', { method: 'GET', input: orderId })
      expect(status.status).toBe(404)
    }
  })

  it('batching more than ten calls into one request: BAD_REQUEST before any of them runs', async () => {
    const paths = Array.from({ length: 11 }, () => 'auth.session').join(',')
    const input = encodeURIComponent(JSON.stringify({}))
    const answer = await fetch(`${sites.driver.url}/api/${paths}?batch=1&input=${input}`)
    expect(answer.status).toBe(400)
    expect(await answer.text()).toContain('Batch call exceeds maximum size')
    const ten = Array.from({ length: 10 }, () => 'auth.session').join(',')
    expect((await fetch(`${sites.driver.url}/api/${ten}?batch=1&input=${input}`)).status).toBe(200)
  })

  it('placing orders past the limit: TOO_MANY_REQUESTS for the customer, with nothing started', async () => {
    const customer = apiOf(sites.menu.url)
    const codes: Array<string | undefined> = []
    for (let attempt = 0; attempt < 6; attempt++) {
      const answer = await callApi(customer, 'order.createOrder', {
        method: 'POST',
        input: { orderId: randomUUID(), productId: 4 },
      })
      codes.push(answer.status === 200 ? 'ok' : answer.code)
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'TOO_MANY_REQUESTS'])
  })
})
