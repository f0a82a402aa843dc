/**
 * `npm run driver-account -- <driver-id>`: reads a password from standard input (typed, or piped)
 * and prints the `id=hash` entry for DRIVER_ACCOUNTS. Several entries are joined with commas.
 */
import { createInterface } from 'node:readline/promises'
import { DRIVER_ID_PATTERN } from '@durable-delivery/common/config'
import { hashPassword } from './password'

const driverId = process.argv[2] ?? ''
if (!DRIVER_ID_PATTERN.test(driverId)) {
  console.error('Usage: npm run driver-account -- <driver-id>   (1-64 of a-z, 0-9, ".", "_", "-")')
  process.exit(2)
}
const input = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stderr : undefined })
const password = (await input.question(process.stdin.isTTY ? `Password for ${driverId}: ` : '')).trim()
input.close()
if (password.length < 8) {
  console.error('The password must have at least 8 characters')
  process.exit(2)
}
console.log(`${driverId}=${await hashPassword(password)}`)
