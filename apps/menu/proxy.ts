import { NextResponse, type NextRequest } from 'next/server'
import { CUSTOMER_COOKIE, customerCookieForPage } from '@durable-delivery/api/customer-cookie'

/** Every page: a browser that has no customer yet gets one with the page, before any API call. */
export function proxy(request: NextRequest) {
  const response = NextResponse.next()
  const https = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https'
  const cookie = customerCookieForPage(request.cookies.get(CUSTOMER_COOKIE)?.value, https)
  if (cookie) response.headers.append('Set-Cookie', cookie)
  return response
}

// Pages only: the API mints its own when a script calls it without one; assets need none.
export const config = { matcher: ['/((?!api/|_next/|favicon).*)'] }
