import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, Connection } from '@temporalio/client'
import { chromium, type Page } from 'playwright-core'
import { pickUpUpdate } from '@durable-delivery/workflows/definitions'
import { startDevServer, startNextServer, startWorkerProcess } from '@durable-delivery/test-harness'

/**
 * `npm run live-bench -w tests/e2e` after `npm run build`: how fast a driver's action reaches the
 * customer's page, and what a waiting order card costs in HTTP requests.
 *
 * 1. Latency: for each of ORDERS orders (20), the pickUp Update is sent through Temporal as the
 *    driver portal sends it; the time is from just before the Update is sent to the moment the
 *    menu page's card says "Picked up" (a MutationObserver in the page stamps it; browser and
 *    script share this machine's clock). p50/p90/max printed.
 * 2. Requests: one order waits in Paid for WAIT_S seconds (60); every request the page makes is
 *    counted, the card's own (its stream, getOrderStatus) apart from the rest.
 */
const ORDERS = Number(process.env.ORDERS ?? 20)
const WAIT_S = Number(process.env.WAIT_S ?? 60)

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

async function placePaid(page: Page): Promise<string> {
  const before = await page.locator('li.order').count()
  await page.getByRole('button', { name: 'Order Poke' }).click()
  await page.locator('li.order').nth(before).waitFor()
  const orderId = (await page.locator('li.order').first().getAttribute('data-order-id'))!
  await page.locator(`li.order[data-order-id="${orderId}"][data-state="Paid"]`).waitFor({ timeout: 20_000 })
  return orderId
}

/** Opens the menu and waits for its first answer, which mints the customer cookie the orders belong to. */
async function openMenu(page: Page, url: string): Promise<void> {
  const minted = page.waitForResponse((response) => response.url().includes('order.myOrders'))
  await page.goto(url)
  await minted
}

async function run(): Promise<void> {
  const ledgerDir = mkdtempSync(join(tmpdir(), 'live-bench-'))
  const temporal = await startDevServer()
  const worker = await startWorkerProcess({
    address: temporal.address,
    env: { PAYMENT_FAILURE_RATE: '0', NOTIFICATION_FAILURE_RATE: '0', LEDGER_PATH: join(ledgerDir, 'ledger.sqlite') },
  })
  const menu = await startNextServer('menu', {
    TEMPORAL_ADDRESS: temporal.address,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    ORDER_PICKUP_WINDOW: '10m',
    // The bench places more orders than a customer would in a minute.
    RATE_LIMITS: 'off',
  })
  const client = new Client({ connection: await Connection.connect({ address: temporal.address }) })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  try {
    const page = await browser.newPage()
    await openMenu(page, menu.url)

    const latencies: number[] = []
    for (let i = 0; i < ORDERS; i++) {
      const orderId = await placePaid(page)
      // Armed before the Update is sent: stamps, with the page's clock, when this card first says
      // Picked up. A string, so that the script's compiler adds nothing the page does not have;
      // void, so that evaluate does not wait for the promise.
      await page.evaluate(`void (window.pickedUpAt = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          const card = document.querySelector('li.order[data-order-id="${orderId}"]')
          if (card && card.getAttribute('data-state') === 'Picked up') {
            observer.disconnect()
            resolve(Date.now())
          }
        })
        observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] })
      }))`)
      const sent = Date.now()
      await client.workflow.getHandle(orderId).executeUpdate(pickUpUpdate, { args: [{ driverId: 'bench' }] })
      latencies.push((await page.evaluate<number>('window.pickedUpAt')) - sent)
      // Closed, so its stream ends: the next order's card is the only live one.
      await client.workflow.getHandle(orderId).terminate('bench')
    }
    const sorted = [...latencies].sort((a, b) => a - b)
    console.log(
      `pickUp → menu shows "Picked up", ${ORDERS} orders: p50 ${percentile(sorted, 50)} ms, ` +
        `p90 ${percentile(sorted, 90)} ms, max ${sorted.at(-1)} ms`,
    )

    // A new customer (a fresh context), so that the page holds this one order and its list is short.
    const waiting = await browser.newPage()
    const beforeWindow: string[] = []
    waiting.on('request', (request) => beforeWindow.push(request.url()))
    await openMenu(waiting, menu.url)
    const orderId = await placePaid(waiting)
    const opened = beforeWindow.filter((url) => url.includes('watchOrderStatus') && url.includes(orderId)).length
    const counted: string[] = []
    waiting.removeAllListeners('request')
    waiting.on('request', (request) => counted.push(request.url()))
    // Measuring for a fixed time is the point here: nothing is being waited for.
    await new Promise((resolve) => setTimeout(resolve, WAIT_S * 1_000))
    const perMinute = (n: number) => ((n * 60) / WAIT_S).toFixed(1)
    const streams = counted.filter((url) => url.includes('watchOrderStatus')).length
    const polls = counted.filter((url) => url.includes('getOrderStatus')).length
    const mentioning = counted.filter((url) => url.includes(orderId)).length
    console.log(
      `a card waiting in Paid for ${WAIT_S} s, its SSE stream${opened === 1 ? '' : 's'} (${opened}) opened before: ` +
        `${perMinute(mentioning)} requests/min about the order ` +
        `(new SSE connections ${perMinute(streams)}/min, getOrderStatus ${perMinute(polls)}/min); ` +
        `page total ${perMinute(counted.length)}/min`,
    )
    await client.workflow.getHandle(orderId).terminate('bench')
  } catch (error) {
    // What the site said is the first thing to read when a figure cannot be taken.
    console.error(menu.output().slice(-4_000))
    throw error
  } finally {
    await browser.close()
    await client.connection.close()
    await menu.stop()
    await worker.stop()
    await temporal.stop()
    rmSync(ledgerDir, { recursive: true, force: true })
  }
}

run().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
