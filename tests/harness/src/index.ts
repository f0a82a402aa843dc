export {
  repoRoot,
  startDevServer,
  freePort,
  waitFor,
  WaitAborted,
  hasExited,
  stopChild,
  registerSearchAttributes,
  testServerPath,
  temporalCliPath,
} from '@durable-delivery/toolchain'
export type { DevServer, DevServerOptions } from '@durable-delivery/toolchain'
export * from './worker-process'
export * from './next-server'
export * from './page-weights'
export * from './stack'
export * from './port-forward'
export * from './call-api'
export * from './seeded-random'
