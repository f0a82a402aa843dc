import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Client, Connection } from '@temporalio/client'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { deliverUpdate, pickUpUpdate } from '@durable-delivery/workflows/definitions'
import { startNextServer, startTestWorker, type NextServer, type WorkerProcess } from '@durable-delivery/test-harness'
import { seriousViolations } from './accessibility'
import { LIVE_CARD_NAMESPACE } from './stack'

/**
 * The menu's order card, live: the status is pushed over SSE (no polling), survives a dropped
 * connection, says the order is safe while the Worker is away, and shows the timeline and the
 * rating. The menu's production build against the suite's dev server (a namespace of this
 * file's own) and a real Worker of its own, since it stops it; the
 * driver's actions are the workflow's Updates, sent as the driver portal sends them.
 */
const SHOTS = join(import.meta.dirname, '..', 'test-results')

let worker: WorkerProcess
let menuSite: NextServer
let menuEnv: Record<string, string>
let browser: Browser
let page: Page
let client: Client
/** Every request the page made, in order: the evidence that nothing polls. */
const requests: { url: string; headers: Record<string, string> }[] = []

const line = (orderId: string) => page.locator(`li.order[data-order-id="${orderId}"]`)
/** Polls of one order's status (its id is in the request's input). */
const statusRequests = (orderId: string) =>
  requests.filter(({ url }) => url.includes('order.getOrderStatus') && url.includes(orderId))
const streamRequests = (orderId: string) =>
  requests.filter(({ url }) => url.includes('order.watchOrderStatus') && url.includes(orderId))

const startWorker = () => startTestWorker(inject('temporalAddress'), LIVE_CARD_NAMESPACE)

/** Clicks Order for a dish and waits for its card to say Paid; returns the order id. */
async function orderPaid(dish: string): Promise<string> {
  const before = await page.locator('li.order').count()
  await page.getByRole('button', { name: `Order ${dish}` }).click()
  await page.locator('li.order').nth(before).waitFor()
  const orderId = (await page.locator('li.order').first().getAttribute('data-order-id'))!
  await stateShown(orderId, 'Paid', 20_000)
  return orderId
}

async function stateShown(orderId: string, state: string, timeout = 10_000): Promise<void> {
  await line(orderId)
    .getByRole('status')
    .filter({ hasText: new RegExp(`^${state}$`) })
    .waitFor({ timeout })
}

const pickUp = (orderId: string) =>
  client.workflow.getHandle(orderId).executeUpdate(pickUpUpdate, { args: [{ driverId: 'e2e-driver' }] })
const deliver = (orderId: string) =>
  client.workflow.getHandle(orderId).executeUpdate(deliverUpdate, { args: [{ driverId: 'e2e-driver' }] })

beforeAll(async () => {
  worker = await startWorker()
  // Short rating delay, so the rate-your-meal message arrives while the test watches.
  menuEnv = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: LIVE_CARD_NAMESPACE,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    ORDER_RATING_DELAY: '2s',
    ORDER_PICKUP_WINDOW: '5m',
  }
  menuSite = await startNextServer('menu', menuEnv)
  client = new Client({
    connection: await Connection.connect({ address: inject('temporalAddress') }),
    namespace: LIVE_CARD_NAMESPACE,
  })
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  page = await (await browser.newContext()).newPage()
  // allHeaders(): Last-Event-ID is added by the network stack, after request.headers() is taken.
  page.on('request', (request) => {
    const entry = { url: request.url(), headers: request.headers() }
    requests.push(entry)
    void request.allHeaders().then(
      (headers) => (entry.headers = headers),
      () => undefined,
    )
  })
  // The first answer mints this browser's customer cookie: ordering before it arrives would race
  // two first requests minting two customers (the order then belongs to the one the browser forgets).
  const minted = page.waitForResponse((response) => response.url().includes('order.myOrders'))
  await page.goto(menuSite.url)
  await minted
})

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(async () => {
    mkdirSync(SHOTS, { recursive: true })
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()
    await page?.screenshot({ path: join(SHOTS, `live-${name}.png`), fullPage: true }).catch(() => undefined)
  })
})

afterAll(async () => {
  await browser?.close()
  await menuSite?.stop()
  await client?.connection.close()
  await worker?.stop()
})

describe("the menu's order card, live", () => {
  it('gets every change pushed over one SSE stream, without a single getOrderStatus request', async () => {
    const orderId = await orderPaid('Burrata')
    await pickUp(orderId)
    await stateShown(orderId, 'Picked up')
    expect(statusRequests(orderId)).toEqual([])
    expect(streamRequests(orderId)).toHaveLength(1)
    await client.workflow.getHandle(orderId).terminate('test over')
  })

  it('resumes after its stream is cut (the site restarts) and shows the next change', async () => {
    const orderId = await orderPaid('Potato')
    // A restart of the site's server cuts every stream, as a function's time limit or a deploy
    // would; the browser reconnects by itself, to a process that has never seen this order.
    const port = Number(new URL(menuSite.url).port)
    await menuSite.stop()
    menuSite = await startNextServer('menu', menuEnv, { port })
    await pickUp(orderId)
    await stateShown(orderId, 'Picked up', 20_000)
    const streams = streamRequests(orderId)
    expect(streams.length).toBeGreaterThanOrEqual(2)
    // The reconnect said where it had got to (SSE Last-Event-ID), so the stream resumed.
    expect(streams.at(-1)!.headers['last-event-id']).toMatch(/^\d+~?$/)
    expect(statusRequests(orderId)).toEqual([])
    await client.workflow.getHandle(orderId).terminate('test over')
  })

  it('says the order is safe while the Worker is away, and moves on once it is back', async () => {
    await worker.stop()
    // Ordered while no Worker runs: Temporal holds the order, nobody can answer its Query yet.
    const before = await page.locator('li.order').count()
    await page.getByRole('button', { name: 'Order Poke' }).click()
    await page.locator('li.order').nth(before).waitFor()
    const orderId = (await page.locator('li.order').first().getAttribute('data-order-id'))!
    const card = line(orderId)
    await card.getByText('Your order is safe and will continue by itself').waitFor({ timeout: 20_000 })
    // The last known state, from the order's search attributes.
    await stateShown(orderId, 'Charging card')
    expect(await card.locator('.error').count()).toBe(0)

    worker = await startWorker()
    await stateShown(orderId, 'Paid', 20_000)
    await card.getByText('Your order is safe').waitFor({ state: 'detached' })
    await pickUp(orderId)
    await stateShown(orderId, 'Picked up')
    expect(statusRequests(orderId)).toEqual([])
    await client.workflow.getHandle(orderId).terminate('test over')
  })

  it('polls getOrderStatus instead in a browser without EventSource, and still follows the order', async () => {
    const context = await browser.newContext()
    try {
      const old = await context.newPage()
      // A browser (or a proxy-mangled page) with no SSE: the card must not wait for a push.
      await old.addInitScript(() => Reflect.deleteProperty(window, 'EventSource'))
      const seen: string[] = []
      old.on('request', (request) => seen.push(request.url()))
      const minted = old.waitForResponse((response) => response.url().includes('order.myOrders'))
      await old.goto(menuSite.url)
      await minted
      await old.getByRole('button', { name: 'Order Potato' }).click()
      const card = old.locator('li.order').first()
      await card
        .getByRole('status')
        .filter({ hasText: /^Paid$/ })
        .waitFor({ timeout: 20_000 })
      const orderId = (await card.getAttribute('data-order-id'))!
      await pickUp(orderId)
      await card
        .getByRole('status')
        .filter({ hasText: /^Picked up$/ })
        .waitFor({ timeout: 10_000 })
      expect(seen.filter((url) => url.includes('order.getOrderStatus')).length).toBeGreaterThan(0)
      expect(seen.filter((url) => url.includes('order.watchOrderStatus'))).toEqual([])
      await client.workflow.getHandle(orderId).terminate('test over')
    } finally {
      await context.close()
    }
  })

  // Needs the workflow to record notifications, deadlines and the rating (the workflow branch).
  it('fills the timeline as the order moves, counts down the windows, and takes a rating', async () => {
    const orderId = await orderPaid('Burrata')
    const card = line(orderId)
    await card
      .getByRole('timer')
      .filter({ hasText: /Waiting for a driver · refunded in \d+:\d{2}/ })
      .waitFor({ timeout: 10_000 })
    const timeline = card.getByRole('list', { name: 'Messages about this order' })
    await pickUp(orderId)
    await card
      .getByRole('timer')
      .filter({ hasText: /On its way · refunded in \d+:\d{2}/ })
      .waitFor()
    await deliver(orderId)
    await stateShown(orderId, 'Delivered')
    await timeline.getByText(/rate/i).waitFor({ timeout: 15_000 })
    expect(await timeline.getByRole('listitem').count()).toBeGreaterThanOrEqual(3)

    // By keyboard: focus the first star, arrow to the fourth, as a radio group works.
    const form = card.getByRole('form', { name: 'Rate your Burrata' })
    // The timeline, the stars and the comment box pass axe like the rest of the page.
    expect(await seriousViolations(page)).toEqual([])
    await form.getByRole('radio', { name: '1 star' }).focus()
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight')
    expect(await form.getByRole('radio', { name: '4 stars' }).isChecked()).toBe(true)
    await form.getByRole('textbox', { name: 'Comment (optional)' }).fill('Still warm')
    await form.getByRole('button', { name: 'Send rating' }).click()
    await card.getByRole('img', { name: '4 stars out of 5' }).waitFor()
    await card.getByText('Still warm').waitFor()
    expect(statusRequests(orderId)).toEqual([])
  })
})
