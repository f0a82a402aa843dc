import { provideStack } from '@durable-delivery/test-harness/global-stack'

/** The driver list's 1,000-order file counts every open order it sees: a namespace of its own. */
export const DRIVER_LIST_NAMESPACE = 'driver-list'
/** The routers' file stops its Worker and starts on an empty driver list: a namespace of its own. */
export const ROUTERS_NAMESPACE = 'routers'
/** The cart file runs its own Worker with a simulated restaurant set for tests: a namespace of its own. */
export const CARTS_NAMESPACE = 'carts'

// One dev server for every file of the suite (vitest's globalSetup), and one shared Worker.
export default provideStack({
  namespaces: [DRIVER_LIST_NAMESPACE, ROUTERS_NAMESPACE, CARTS_NAMESPACE],
  workers: ['default'],
})
