// Server-only: the routers, their context and the shared Temporal Client. Pages import types
// from here (`import type { MenuRouter }`), never values.
export { appRouter, menuRouter, driverRouter, createCaller } from './root'
export type { AppRouter, MenuRouter, DriverRouter } from './root'
export { createInnerContext, createRequestContext, DEFAULT_RPC_TIMEOUT_MS } from './context'
export type { InnerContext, InnerContextOptions } from './context'
export {
  getTemporalClient,
  closeTemporalClient,
  connectTemporalClient,
  TemporalUnavailableError,
  CONNECT_TIMEOUT_MS,
} from './temporal-client'
export { ORDER_LIST_LIMIT } from './routers/delivery'
export type { OrderRow } from './routers/delivery'
export type { CreatedOrder, OrderStatusView } from './routers/order'
export { createOrderInput, orderIdInput, productIdInput } from './inputs'
