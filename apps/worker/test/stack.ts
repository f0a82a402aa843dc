import { provideStack } from '@durable-delivery/test-harness/global-stack'

// One dev server for the suite's files (vitest's globalSetup). No shared Worker: each test starts,
// kills and drains the Workers it is about, on task queues of its own.
export default provideStack({ workers: [] })
