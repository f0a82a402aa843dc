import { loadSiteConfig } from '@durable-delivery/common/config'
import { CUSTOMER_COOKIE, newCustomer, readCustomer } from './auth/cookie-identity'
import { sessionSecret } from './auth/session-secret'

export { CUSTOMER_COOKIE }

let secret: string | undefined

/**
 * For the menu's proxy (`apps/menu/proxy.ts`): the Set-Cookie that gives a browser without a valid
 * customer cookie its customer, on the page itself. Its first API calls then all carry the same
 * customer; minted by the API instead, two calls sent before the first answer would each get one,
 * and an order placed that fast would belong to the customer the browser forgets.
 */
export function customerCookieForPage(current: string | undefined, secure: boolean): string | undefined {
  secret ??= sessionSecret(loadSiteConfig('menu'))
  return readCustomer(current, secret) === undefined ? newCustomer(secret, secure).cookie : undefined
}
