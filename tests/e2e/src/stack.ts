import { provideStack } from '@durable-delivery/test-harness/global-stack'

/** Each file's orders in a namespace of its own: one file's orders never show on another's pages. */
export const ORDER_FLOW_NAMESPACE = 'default'
export const IDENTITY_NAMESPACE = 'identity'
/** The live card stops and restarts its Worker, so it starts its own there. */
export const LIVE_CARD_NAMESPACE = 'live-card'
/** The cart's flow runs its own Worker, with a restaurant that is out of Poke, so it has its own namespace. */
export const CART_NAMESPACE = 'carts'

/**
 * The simulated restaurant of the suite's Workers: it never fails, answers within a second, and
 * cooks for a second and a half a dish (long enough to see an order Preparing on both sites).
 */
export const RESTAURANT_ENV = {
  RESTAURANT_MODE: 'auto',
  RESTAURANT_ACCEPT_MS: '500',
  RESTAURANT_PREP_MS_PER_ITEM: '1500',
  RESTAURANT_DECLINE_RATE: '0',
  RESTAURANT_FAILURE_RATE: '0',
}

// One dev server for the suite (vitest's globalSetup), and the Workers the files share.
export default provideStack({
  namespaces: [IDENTITY_NAMESPACE, LIVE_CARD_NAMESPACE, CART_NAMESPACE],
  workers: [ORDER_FLOW_NAMESPACE, IDENTITY_NAMESPACE],
  workerEnv: RESTAURANT_ENV,
})
