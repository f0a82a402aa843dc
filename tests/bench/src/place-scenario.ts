import { randomBytes, randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { chromium } from 'playwright-core'
import { DEFAULTS } from '@durable-delivery/common/config'
import { callApi, startNextServer, type HttpApi } from '@durable-delivery/test-harness'
import { ORDER_WORKFLOW_TYPE, waitForPaymentUpdate } from '@durable-delivery/workflows/definitions'
import type { BreakableStack } from '@durable-delivery/resilience/breakable-stack'
import { summarise, timed, type LatencySummary } from '@durable-delivery/resilience/stats'
import { round } from './process-usage'
import { report } from './results'

export interface PlaceResult {
  /** `order.createOrder` over HTTP to the menu's production server (`next start`). */
  createOrder: LatencySummary
  /** `client.workflow.start` of the same workflow, nothing else. */
  bareStart: LatencySummary
  /**
   * The Temporal calls createOrder makes, bare: the start, then the waitForPayment Update (the
   * route answers once the charge settled, so that the page can show Paid at once).
   */
  bareStartAndWait: LatencySummary
  /** createOrder p50 over the p50 of the same calls made bare: what our route costs. */
  ratio: number
  /** createOrder p50 over a bare start's p50 (createOrder waits for the charge too). */
  ratioToBareStart: number
  /** From sending createOrder to `getOrderStatus` answering Paid, polled every 20 ms over HTTP. */
  placedToPaidApi: LatencySummary
  /** From the click on Order in Chromium to "Paid" on screen. */
  clickToPaidScreen: LatencySummary
  /** The same clicks: when createOrder left the page, when its answer came back, when Paid showed. */
  clickBreakdown: ClickBreakdown
}

const PAID_POLL_MS = 20

/** Placement: our HTTP route against a bare start, and how long a customer waits to see Paid. */
export async function placeScenario(
  stack: BreakableStack,
  samples: number,
  browserSamples: number,
): Promise<PlaceResult> {
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
    const bareStartAndWait = async (orderId: string) => {
      const handle = await bareStart(orderId)
      await handle.executeUpdate(waitForPaymentUpdate)
    }
    // Warm every path (Next's route compiled into memory, connections open) before measuring.
    for (let index = 0; index < 3; index++) {
      await createOrder(randomUUID())
      await bareStart(randomUUID())
      await bareStartAndWait(randomUUID())
    }
    const created: number[] = []
    const bare: number[] = []
    const bareWait: number[] = []
    for (let index = 0; index < samples; index++) {
      await timed(created, () => createOrder(randomUUID()))
      const started = await timed(bare, () => bareStart(randomUUID()))
      // Its charge settles before the next call is timed, as createOrder's does within its call.
      await started.executeUpdate(waitForPaymentUpdate)
      await timed(bareWait, () => bareStartAndWait(randomUUID()))
    }
    const toPaid: number[] = []
    for (let index = 0; index < Math.min(samples, 30); index++) {
      const orderId = randomUUID()
      await timed(toPaid, async () => {
        await createOrder(orderId)
        while ((await statusOf(api, orderId)) !== 'Paid') await delay(PAID_POLL_MS)
      })
    }
    const clicks = await clickToPaid(site.url, browserSamples)
    const result: PlaceResult = {
      createOrder: summarise(created),
      bareStart: summarise(bare),
      bareStartAndWait: summarise(bareWait),
      ratio: 0,
      ratioToBareStart: 0,
      placedToPaidApi: summarise(toPaid),
      clickToPaidScreen: clicks.breakdown.toScreen,
      clickBreakdown: clicks.breakdown,
    }
    result.ratio = round(result.createOrder.p50 / result.bareStartAndWait.p50, 2)
    result.ratioToBareStart = round(result.createOrder.p50 / result.bareStart.p50, 2)
    report(
      'place',
      `createOrder p50 ${round(result.createOrder.p50)} ms vs the same calls bare ${round(result.bareStartAndWait.p50)} ms (${result.ratio}x), ` +
        `bare start ${round(result.bareStart.p50)} ms (${result.ratioToBareStart}x); ` +
        `placed to Paid p50 ${Math.round(result.placedToPaidApi.p50)} ms (API), click to Paid on screen p50 ${Math.round(result.clickToPaidScreen.p50)} ms ` +
        `(request sent ${Math.round(result.clickBreakdown.toRequest.p50)} ms, answered ${Math.round(result.clickBreakdown.toAnswer.p50)} ms)`,
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

/** Where the time of a click goes: until createOrder is sent, until its answer, until Paid shows. */
export interface ClickBreakdown {
  toRequest: LatencySummary
  toAnswer: LatencySummary
  toScreen: LatencySummary
}

/**
 * Chromium clicks Order Burrata on a fresh page, once the page is idle (hydrated, its first
 * requests answered: a customer reads the menu before ordering), and waits for "Paid". The times
 * are the page's own clock: from its click event to the card's state becoming Paid (a
 * MutationObserver), with createOrder's request and answer from the Resource Timing entries.
 */
async function clickToPaid(url: string, samples: number): Promise<{ times: number[]; breakdown: ClickBreakdown }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  const times: number[] = []
  const toRequest: number[] = []
  const toAnswer: number[] = []
  try {
    for (let index = 0; index < samples; index++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(url, { waitUntil: 'networkidle' })
      const button = page.getByRole('button', { name: 'Order Burrata' })
      await button.waitFor()
      await page.evaluate(armClickTimer)
      await button.click()
      await page.locator('li.order[data-state="Paid"]').first().waitFor({ timeout: 30_000 })
      const timing = await page.evaluate(readClickTimer)
      times.push(timing.paid)
      toRequest.push(timing.request)
      toAnswer.push(timing.answer)
      await context.close()
    }
  } finally {
    await browser.close()
  }
  return {
    times,
    breakdown: { toRequest: summarise(toRequest), toAnswer: summarise(toAnswer), toScreen: summarise(times) },
  }
}

interface ClickMarks {
  clickAt?: number
  paidAt?: number
}

/** In the page: notes the first click, and the moment an order's card says Paid. */
function armClickTimer(): void {
  const marks: ClickMarks = {}
  ;(window as unknown as { clickMarks: ClickMarks }).clickMarks = marks
  document.addEventListener('click', () => (marks.clickAt ??= performance.now()), { capture: true })
  new MutationObserver(() => {
    if (marks.paidAt === undefined && document.querySelector('li.order[data-state="Paid"]'))
      marks.paidAt = performance.now()
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] })
}

/** In the page: milliseconds from the click to createOrder sent, answered, and Paid on screen. */
function readClickTimer(): { request: number; answer: number; paid: number } {
  const marks = (window as unknown as { clickMarks: ClickMarks }).clickMarks
  const clickAt = marks.clickAt ?? NaN
  const entry = performance
    .getEntriesByType('resource')
    .find((resource) => resource.name.includes('order.createOrder')) as PerformanceResourceTiming | undefined
  return {
    request: (entry?.startTime ?? NaN) - clickAt,
    answer: (entry?.responseEnd ?? NaN) - clickAt,
    paid: (marks.paidAt ?? NaN) - clickAt,
  }
}
