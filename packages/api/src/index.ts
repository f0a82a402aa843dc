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
export { siteRetryInterceptors } from './grpc-retries'
export {
  DRIVER_LIST_PAGE_SIZE,
  type DriverListRow,
  type DriverListPage,
  type DriverListSection,
} from './read-model/driver-list'
export type { CreatedOrder } from './routers/order'
export type { OrderStatusView } from './read-model/order-status'
export type { CustomerOrder, CustomerOrderPage } from './read-model/customer-orders'
export type { DriverSession } from './routers/auth'
export { createOrderInput, orderIdInput, productIdInput } from './inputs'
export { fixedIdentity, type Identity } from './auth/identity'
export { DriverDirectory, DEMO_DRIVER_ID } from './auth/driver-directory'
export { hashPassword } from './auth/password'
export { CUSTOMER_COOKIE, DRIVER_COOKIE } from './auth/cookie-identity'
export { INTERNAL_ERROR_MESSAGE } from './trpc'
export { createProcessShared, NO_LIMITS, type ProcessShared } from './process-shared'
