// Browser-safe exports only: pages import this. Server-only modules (config, Temporal
// connection and client) are imported by their own subpaths.
export * from './products'
export * from './order-state'
export * from './error-message'
export * from './order-options'
export * from './cart'
