import { condition, sleep } from '@temporalio/workflow'
import { ratingPrompt } from './customer-messages'
import { notify } from './order-activities'
import type { OrderModel } from './order-model'
import { shortDuration } from './web-ui'

/**
 * After delivery, while the delivered push (`deliveredPush`) goes out: the rating prompt after
 * `ratingDelay`, sent after that push so that messages keep their order. An order with a customer
 * then waits up to `ratingWindow` for the rating; a rating before the prompt skips it. An order
 * nobody owns (the CLI, the seed's story) is done once prompted. The timers are durable: these
 * could as well be hours or months.
 */
export async function waitForRating(model: OrderModel, deliveredPush: Promise<void>): Promise<void> {
  const { ratingDelay, ratingWindow } = model.waits!
  // A cart of several dishes is asked about as a whole.
  const prompt = ratingPrompt((model.cart?.lines.length ?? 1) > 1 ? 'order' : model.product!.name)
  const promptTimer = { summary: `rating prompt in ${shortDuration(ratingDelay)}` }
  if (model.customerId === undefined) {
    await sleep(ratingDelay, promptTimer)
    await deliveredPush
    await notify(model, prompt)
    return
  }
  const rated = () => model.rating !== undefined
  // Once the prompt's timer has fired, the prompt goes out, whatever comes meanwhile.
  if (rated() || (await condition(rated, ratingDelay, promptTimer))) return
  await deliveredPush
  // A rating may have come while the delivered push was still on its way.
  if (rated()) return
  await notify(model, prompt)
  if (rated()) return
  model.ratingWindowOpened()
  const rating = { summary: `rating window ${shortDuration(ratingWindow)}` }
  if (!(await condition(rated, ratingWindow, rating))) model.closeRating()
}
