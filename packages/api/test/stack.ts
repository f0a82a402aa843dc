import { provideStack } from '@durable-delivery/test-harness/global-stack'

/** The driver list's 1,000-order file counts every open order it sees: a namespace of its own. */
export const DRIVER_LIST_NAMESPACE = 'driver-list'
/** The routers' file stops its Worker and starts on an empty driver list: a namespace of its own. */
export const ROUTERS_NAMESPACE = 'routers'

// One dev server for every file of the suite (vitest's globalSetup), and one shared Worker.
export default provideStack({ namespaces: [DRIVER_LIST_NAMESPACE, ROUTERS_NAMESPACE], workers: ['default'] })
