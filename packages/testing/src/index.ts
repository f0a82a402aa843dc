export { startDevServer, freePort, waitFor, registerSearchAttributes, testServerPath, temporalCliPath } from '@durable-delivery/toolchain'
export type { DevServer, DevServerOptions } from '@durable-delivery/toolchain'
export * from './worker-process'
