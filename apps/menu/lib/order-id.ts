/**
 * A v4 UUID for a new order: the workflow id, so a retried request is the same order.
 * `crypto.randomUUID` exists only in secure contexts (https, localhost); a dev site opened over a
 * LAN address falls back to the same format from `getRandomValues`.
 */
export function newOrderId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
