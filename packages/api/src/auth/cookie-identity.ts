import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isHttps, readCookies, sessionCookie } from './cookies'
import type { DriverDirectory } from './driver-directory'
import { CUSTOMER_ID_PATTERN, type Identity } from './identity'
import { signToken, verifyToken } from './signed-token'

/** One cookie each: both sites may share a host in development (cookies ignore ports). */
export const CUSTOMER_COOKIE = 'dd_customer'
export const DRIVER_COOKIE = 'dd_driver'

/** A customer is remembered for a year; a driver signs in again after a shift. */
const CUSTOMER_MAX_AGE_S = 365 * 24 * 3600
const DRIVER_MAX_AGE_S = 12 * 3600

interface DriverToken {
  d: string
  /** Expiry, seconds since the epoch: the signature covers it, so a copied cookie still ends. */
  exp: number
}

export interface CookieIdentityOptions {
  secret: string
  drivers: DriverDirectory
  /** Mints a customer on first use (the menu); the driver portal has no customers. */
  mintsCustomers: boolean
}

/**
 * The identity of one request to a site, from its signed, httpOnly, SameSite=Lax cookies. A
 * cookie that does not verify (tampered, signed with another secret, expired, an account since
 * removed) counts as no cookie at all.
 */
export function cookieIdentity(req: IncomingMessage, res: ServerResponse, options: CookieIdentityOptions): Identity {
  const cookies = readCookies(req)
  const secure = isHttps(req)
  const setCookie = (cookie: string) => {
    const previous = res.getHeader('Set-Cookie')
    const list = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)]
    res.setHeader('Set-Cookie', [...list, cookie])
  }

  let customerId = readCustomer(cookies.get(CUSTOMER_COOKIE), options.secret)
  let driverId = readDriver(cookies.get(DRIVER_COOKIE), options)

  return {
    customerId() {
      if (customerId === undefined && options.mintsCustomers) {
        const minted = newCustomer(options.secret, secure)
        customerId = minted.customerId
        setCookie(minted.cookie)
      }
      return customerId
    },
    get driverId() {
      return driverId
    },
    signInDriver(id) {
      driverId = id
      const token: DriverToken = { d: id, exp: Math.floor(Date.now() / 1000) + DRIVER_MAX_AGE_S }
      setCookie(sessionCookie(DRIVER_COOKIE, signToken(token, options.secret), { maxAge: DRIVER_MAX_AGE_S, secure }))
    },
    signOutDriver() {
      driverId = undefined
      setCookie(sessionCookie(DRIVER_COOKIE, '', { maxAge: 0, secure }))
    },
    sameOrigin: isSameOrigin(req),
    clientAddress: clientAddress(req),
  }
}

/** A new customer and the Set-Cookie header that gives the browser its id. */
export function newCustomer(secret: string, secure: boolean): { customerId: string; cookie: string } {
  const customerId = `c_${randomBytes(16).toString('base64url')}`
  const token = signToken({ c: customerId }, secret)
  return { customerId, cookie: sessionCookie(CUSTOMER_COOKIE, token, { maxAge: CUSTOMER_MAX_AGE_S, secure }) }
}

export function readCustomer(cookie: string | undefined, secret: string): string | undefined {
  const payload = cookie === undefined ? undefined : verifyToken(cookie, secret)
  const id = (payload as { c?: unknown } | undefined)?.c
  return typeof id === 'string' && CUSTOMER_ID_PATTERN.test(id) ? id : undefined
}

function readDriver(cookie: string | undefined, options: CookieIdentityOptions): string | undefined {
  const payload = cookie === undefined ? undefined : verifyToken(cookie, options.secret)
  const { d, exp } = (payload ?? {}) as Partial<DriverToken>
  if (typeof d !== 'string' || typeof exp !== 'number' || exp * 1000 <= Date.now()) return undefined
  return options.drivers.has(d) ? d : undefined
}

/**
 * CSRF: a request that can change something must come from one of our own pages. Browsers send
 * Origin with every POST; it must name the host the request was sent to (the platform's proxy
 * passes that on as X-Forwarded-Host). Reads (GET) change nothing and pass.
 */
function isSameOrigin(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true
  const origin = req.headers.origin
  const host = firstHeader(req.headers['x-forwarded-host']) ?? req.headers.host
  if (!origin || !host) return false
  try {
    return new URL(origin).host === host
  } catch {
    return false
  }
}

/**
 * On Vercel (VERCEL=1) the platform puts the client's address in X-Forwarded-For and drops what
 * the client sent there; anywhere else that header is the client's to forge, so the socket counts.
 */
function clientAddress(req: IncomingMessage): string {
  const forwarded = process.env.VERCEL ? firstHeader(req.headers['x-forwarded-for'])?.split(',')[0]?.trim() : undefined
  return forwarded || req.socket.remoteAddress || 'unknown'
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}
