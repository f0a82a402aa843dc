import { provideStack } from '@durable-delivery/test-harness/global-stack'

/** Each file's orders in a namespace of its own: one file's orders never show on another's pages. */
export const ORDER_FLOW_NAMESPACE = 'default'
export const IDENTITY_NAMESPACE = 'identity'
/** The live card stops and restarts its Worker, so it starts its own there. */
export const LIVE_CARD_NAMESPACE = 'live-card'

// One dev server for the suite (vitest's globalSetup), and the Workers the files share.
export default provideStack({
  namespaces: [IDENTITY_NAMESPACE, LIVE_CARD_NAMESPACE],
  workers: [ORDER_FLOW_NAMESPACE, IDENTITY_NAMESPACE],
})
