#!/usr/bin/env node
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { formatCents } from '@durable-delivery/common'
import { loadConfigOrExit, loadServicesConfig } from '@durable-delivery/common/config'
import { Ledger } from './ledger'
import { checkLedger } from './ledger-check'

/**
 * `npm run ledger [-- --path FILE]`: prints every charge and refund the simulated payment
 * service recorded, one line per order with its verdict, and exits 1 when the ledger breaks an
 * invariant (an order charged twice, a refund without a charge, ...). The file is the Worker's
 * LEDGER_PATH (default .data/ledger.sqlite in apps/worker, where `npm run dev` and
 * `npm start --workspace apps/worker` run it) unless --path names another.
 */
function run(): void {
  const { values } = parseArgs({ options: { path: { type: 'string' } } })
  // --path is relative to where the user typed the command (npm moves scripts to the root);
  // LEDGER_PATH to this process's folder, as it is for the Worker (the root script runs from it).
  const path = values.path
    ? resolve(process.env.INIT_CWD ?? process.cwd(), values.path)
    : resolve(loadConfigOrExit(loadServicesConfig).ledgerPath)
  // Opening a missing file would create an empty ledger and report it as fine.
  if (!existsSync(path)) {
    console.error(`No ledger at ${path}. Pass --path or set LEDGER_PATH to the Worker's ledger file.`)
    process.exit(1)
  }
  const ledger = new Ledger(path)
  try {
    const entries = ledger.payments()
    console.log(`Ledger ${path}: ${entries.length} payment entries`)
    for (const entry of entries) {
      console.log(`  ${entry.at}  ${entry.kind.padEnd(6)}  ${formatCents(entry.cents).padStart(8)}  ${entry.idempotencyKey}`)
    }
    const check = checkLedger(entries)
    console.log(`\nPer order (${check.orders.length} orders, ${check.charged} charged, ${check.refunded} refunded):`)
    for (const order of check.orders) {
      const balance = formatCents(order.chargedCents - order.refundedCents)
      const verdict = order.problems.length === 0 ? 'ok' : 'WRONG'
      console.log(`  ${order.orderId}  charged x${order.charges}  refunded x${order.refunds}  net ${balance}  ${verdict}`)
    }
    if (check.ok) {
      console.log('\nLedger check: ok (every order charged at most once; refunds only for charged orders, at most once)')
    } else {
      console.log(`\nLedger check: WRONG (${check.problems.length} problem(s))`)
      for (const problem of check.problems) console.log(`  - ${problem}`)
      process.exitCode = 1
    }
  } finally {
    ledger.close()
  }
}

// Synchronous from start to end (better-sqlite3 is), so a thrown error lands here.
try {
  run()
} catch (error) {
  console.error(error)
  process.exit(1)
}
