import { TRPCError } from '@trpc/server'
import { DEMO_DRIVER_ID } from '../auth/driver-directory'
import { signInInput } from '../inputs'
import { publicProcedure, router } from '../trpc'

export interface DriverSession {
  /** The signed-in driver, or undefined. */
  driverId?: string
  /** Development without DRIVER_ACCOUNTS: the sign-in page offers a one-click demo driver. */
  demo: boolean
}

/** The driver portal's sign-in: accounts from DRIVER_ACCOUNTS, the session in a signed httpOnly cookie. */
export const authRouter = router({
  session: publicProcedure.query(({ ctx }): DriverSession => {
    const { driverId } = ctx.identity
    return { ...(driverId === undefined ? {} : { driverId }), demo: ctx.drivers.demo }
  }),

  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }): Promise<DriverSession> => {
    if (!ctx.shared.signInPerAddress.take(ctx.identity.clientAddress)) {
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Too many sign-in attempts: wait a minute' })
    }
    // One answer for an unknown id and a wrong password: the page does not tell which ids exist.
    if (ctx.drivers.demo || !(await ctx.drivers.verify(input.driverId, input.password))) {
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Wrong driver id or password' })
    }
    ctx.identity.signInDriver(input.driverId)
    return { driverId: input.driverId, demo: false }
  }),

  /** Development only (no DRIVER_ACCOUNTS): `npm install && npm run dev` stays the whole setup. */
  signInDemo: publicProcedure.mutation(({ ctx }): DriverSession => {
    if (!ctx.drivers.demo) throw new TRPCError({ code: 'FORBIDDEN', message: 'Sign in with your driver account' })
    ctx.identity.signInDriver(DEMO_DRIVER_ID)
    return { driverId: DEMO_DRIVER_ID, demo: true }
  }),

  signOut: publicProcedure.mutation(({ ctx }): DriverSession => {
    ctx.identity.signOutDriver()
    return { demo: ctx.drivers.demo }
  }),
})
