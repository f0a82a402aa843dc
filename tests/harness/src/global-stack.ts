// The augmentation below needs 'vitest' in this file's imports to find the module it extends.
import type {} from 'vitest'
import type { TestProject } from 'vitest/node'
import { startStack, type StackOptions } from './stack'

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the suite's Temporal dev server (`inject('temporalAddress')` in a test file). */
    temporalAddress: string
  }
}

/**
 * A vitest `globalSetup` that boots one stack for the whole suite: its test files share the dev
 * server and the Workers instead of each starting its own, and read the address with `inject`.
 */
export function provideStack(options: StackOptions = {}) {
  return async (project: TestProject) => {
    const stack = await startStack(options)
    project.provide('temporalAddress', stack.address)
    return () => stack.stop()
  }
}
