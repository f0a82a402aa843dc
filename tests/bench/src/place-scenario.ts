import { randomBytes, randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { chromium } from 'playwright-core'
import { DEFAULTS } from '@durable-delivery/common/config'
import { startNextServer } from '@durable-delivery/test-harness'
import { ORDER_WORKFLOW_TYPE } from '@durable-delivery/workflows/definitions'
import { callApi, type HttpApi } from '@durable-delivery/resilience/http-api'
import type { Stack } from '@durable-delivery/resilience/stack'
import { summarise, timed, type LatencySummary } from '@durable-delivery/resilience/stats'
import { round } from './process-usage'
import { report } from './results'

export interface PlaceResult {
  /** `order.createOrder` over HTTP to the menu's production server (`next start`). */
  createOrder: LatencySummary
  /** `client.workflow.start` of the same workflow, nothing else. */
  bareStart: LatencySummary
  /** createOrder p50 over bare start p50. */
  ratio: number
  /** From sending createOrder to `getOrderStatus` answering Paid, polled every 20 ms over HTTP. */
  placedToPaidApi: LatencySummary
  /** From the click on Order in Chromium to "Paid" on screen. */
  clickToPaidScreen: LatencySummary
}

const PAID_POLL_MS = 20

/** Placement: our HTTP route against a bare start, and how long a customer waits to see Paid. */
export async function placeScenario(stack: Stack, samples: number, browserSamples: number): Promise<PlaceResult> {
  const site = await startNextServer('menu', {
    TEMPORAL_ADDRESS: stack.address,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    // Hundreds of orders from one address in a minute: the limits would answer most of them.
    RATE_LIMITS: 'off',
  })
  try {
    // One customer, as a browser: its cookie is set by the first answer and sent ever after.
    const api: HttpApi = { url: `${site.url}/api`, close: async () => {}, cookies: new Map() }
    const createOrder = async (orderId: string) => {
      const answer = await callApi(api, 'order.createOrder', { method: 'POST', input: { orderId, productId: 2 } })
      if (answer.status !== 200) throw new Error(`createOrder answered ${answer.status}: ${answer.message}`)
    }
    const bareStart = (orderId: string) =>
      stack.client.workflow.start(ORDER_WORKFLOW_TYPE, {
        workflowId: orderId,
        taskQueue: DEFAULTS.taskQueue,
        args: [2],
      })
    // Warm both paths (Next's route compiled into memory, connections open) before measuring.
    for (let index = 0; index < 3; index++) {
      await createOrder(randomUUID())
      await bareStart(randomUUID())
    }
    const created: number[] = []
    const bare: number[] = []
    for (let index = 0; index < samples; index++) {
      await timed(created, () => createOrder(randomUUID()))
      await timed(bare, () => bareStart(randomUUID()))
    }
    const toPaid: number[] = []
    for (let index = 0; index < Math.min(samples, 30); index++) {
      const orderId = randomUUID()
      await timed(toPaid, async () => {
        await createOrder(orderId)
        while ((await statusOf(api, orderId)) !== 'Paid') await delay(PAID_POLL_MS)
      })
    }
    const onScreen = await clickToPaid(site.url, browserSamples)
    const result: PlaceResult = {
      createOrder: summarise(created),
      bareStart: summarise(bare),
      ratio: 0,
      placedToPaidApi: summarise(toPaid),
      clickToPaidScreen: summarise(onScreen),
    }
    result.ratio = round(result.createOrder.p50 / result.bareStart.p50, 2)
    report(
      'place',
      `createOrder p50 ${round(result.createOrder.p50)} ms vs bare start ${round(result.bareStart.p50)} ms (${result.ratio}x); ` +
        `placed to Paid p50 ${Math.round(result.placedToPaidApi.p50)} ms (API), click to Paid on screen p50 ${Math.round(result.clickToPaidScreen.p50)} ms`,
      result,
    )
    return result
  } finally {
    await site.stop()
  }
}

async function statusOf(api: HttpApi, orderId: string): Promise<unknown> {
  const answer = await callApi(api, 'order.getOrderStatus', { method: 'GET', input: orderId })
  return (answer.data as { state?: unknown } | undefined)?.state
}

/** Chromium clicks Order Burrata on a fresh page (no order history polling) and waits for "Paid". */
async function clickToPaid(url: string, samples: number): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  const times: number[] = []
  try {
    for (let index = 0; index < samples; index++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(url)
      const button = page.getByRole('button', { name: 'Order Burrata' })
      await button.waitFor()
      await timed(times, async () => {
        await button.click()
        await page.locator('li.order[data-state="Paid"]').first().waitFor({ timeout: 30_000 })
      })
      await context.close()
    }
  } finally {
    await browser.close()
  }
  return times
}
