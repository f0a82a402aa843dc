import { authRouter } from './routers/auth'
import { driverListRouter } from './routers/driver-list'
import { orderRouter } from './routers/order'
import { createCallerFactory, router } from './trpc'

/** What the menu serves (customers). */
export const menuRouter = router({ order: orderRouter })
/** What the driver portal serves (drivers, and their sign-in). */
export const driverRouter = router({ driverList: driverListRouter, auth: authRouter })
/** All of it, for tests and tools that drive the whole API. */
export const appRouter = router({ order: orderRouter, driverList: driverListRouter, auth: authRouter })

export type MenuRouter = typeof menuRouter
export type DriverRouter = typeof driverRouter
export type AppRouter = typeof appRouter

/** `createCaller(createInnerContext({ client, identity }))`: every procedure, called in-process. */
export const createCaller = createCallerFactory(appRouter)
