import type { IncomingMessage } from 'node:http'

/** The request's cookies by name (the first of duplicates, as browsers send the most specific first). */
export function readCookies(req: Pick<IncomingMessage, 'headers'>): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=')
    if (at < 0) continue
    const name = pair.slice(0, at).trim()
    if (name && !cookies.has(name)) cookies.set(name, decodeURIComponent(pair.slice(at + 1).trim()))
  }
  return cookies
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge: number
  /** Only over https: on when the request came over https (directly or through the platform's proxy). */
  secure: boolean
}

/**
 * A session cookie: httpOnly (no script reads it, so an injected script cannot steal it),
 * SameSite=Lax (another site's form or fetch does not carry it), for the whole site.
 */
export function sessionCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${options.maxAge}`,
  ]
  if (options.secure) parts.push('Secure')
  return parts.join('; ')
}

/** Whether the browser reached us over https, directly or through Vercel's proxy. */
export function isHttps(req: IncomingMessage): boolean {
  const forwarded = req.headers['x-forwarded-proto']
  const proto = Array.isArray(forwarded) ? forwarded[0] : forwarded?.split(',')[0]
  return proto?.trim() === 'https' || ('encrypted' in req.socket && req.socket.encrypted === true)
}
