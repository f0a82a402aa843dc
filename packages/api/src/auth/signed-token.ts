import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * A value the server gave out and can recognise again: `payload.signature`, both base64url, the
 * signature an HMAC-SHA256 of the payload under the session secret. Anyone can read the payload
 * (it holds ids, never secrets); no one without the secret can change it.
 */
export function signToken(payload: object, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${body}.${signature(body, secret)}`
}

/** The payload of a token this secret signed, or undefined for anything else (tampered, truncated, foreign). */
export function verifyToken(token: string, secret: string): unknown {
  const [body, given, ...rest] = token.split('.')
  if (!body || !given || rest.length > 0) return undefined
  const expected = Buffer.from(signature(body, secret))
  const actual = Buffer.from(given)
  // Constant time: how much of a forged signature matches must not show in the answer's timing.
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown
  } catch {
    return undefined
  }
}

function signature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url')
}
