#!/usr/bin/env node
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Client, Connection } from '@temporalio/client'
import { formatCents } from '@durable-delivery/common'
import { loadConfigOrExit, loadServicesConfig, loadTemporalConfig } from '@durable-delivery/common/config'
import { connectionOptions } from '@durable-delivery/common/temporal-connection'
import { Ledger, purposeOf, type LedgerEntry } from './ledger'
import { checkLedger, type OrderExpectation } from './ledger-check'
import { orderExpectations } from './order-costs'

/**
 * `npm run ledger [-- --path FILE] [-- --offline]`: prints every charge and refund the simulated
 * payment service recorded (with its purpose: the order, an extra tip, a full or a partial
 * refund), one line per order with its verdict, and exits 1 when an order cost what it should
 * not: the ledger's own invariants (an order charged twice, a refund without a charge, ...) and,
 * from Temporal (TEMPORAL_ADDRESS etc., as the Worker reads them), what each order should have
 * cost by how it ended: if delivered or still open past payment its price (a cart: its kept
 * lines and tip, plus the extra tip), nothing otherwise. `--offline` checks the invariants alone. The file is the Worker's
 * LEDGER_PATH (default .data/ledger.sqlite in apps/worker, where `npm run dev` and
 * `npm start --workspace apps/worker` run it) unless --path names another.
 */
async function run(): Promise<void> {
  const { values } = parseArgs({ options: { path: { type: 'string' }, offline: { type: 'boolean' } } })
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
      console.log(
        `  ${entry.at}  ${entry.kind.padEnd(6)}  ${purposeOf(entry).padEnd(9)}  ${formatCents(entry.cents).padStart(8)}  ${entry.idempotencyKey}`,
      )
    }
    const judged = values.offline ? undefined : await expectationsFromTemporal(entries)
    const check = checkLedger(entries, judged?.expected)
    console.log(
      `\nPer order (${check.orders.length} orders, ${check.charged} charged, ${check.refunded} refunded, ${check.voided} voided):`,
    )
    for (const order of check.orders) {
      const balance = formatCents(order.netCents)
      const want = judged?.expected.get(order.key)
      const verdict = order.problems.length === 0 && (!want || want.netCents === order.netCents) ? 'ok' : 'WRONG'
      const should = want ? `  should cost ${formatCents(want.netCents)}` : ''
      console.log(
        `  ${order.key}  charged x${order.charges}${order.extraTips ? `  extra tip x${order.extraTips}` : ''}  refunded x${order.refunds}${order.partialRefunds ? ` (${order.partialRefunds} partial)` : ''}  net ${balance}${should}  ${verdict}`,
      )
    }
    if (check.ok) {
      const scope = judged
        ? `every order cost what its ending says: its price (a cart: its kept lines and tip, plus any extra tip) if delivered or open past payment, nothing otherwise; ${judged.open} still in progress`
        : 'offline: every order charged at most once (and its extra tip); refunds only for charged orders, at most once each, never more than the charge'
      console.log(`\nLedger check: ok (${scope})`)
    } else {
      console.log(`\nLedger check: WRONG (${check.problems.length} problem(s))`)
      for (const problem of check.problems) console.log(`  - ${problem}`)
      process.exitCode = 1
    }
  } finally {
    ledger.close()
  }
}

/** How each order ended, from Temporal; the process exits with a hint when the server cannot be reached. */
async function expectationsFromTemporal(
  entries: LedgerEntry[],
): Promise<{ expected: Map<string, OrderExpectation>; open: number }> {
  const config = loadConfigOrExit(loadTemporalConfig)
  let connection: Connection
  try {
    connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: 5_000 })
  } catch (error) {
    console.error(
      `Cannot reach Temporal at ${config.address} to learn how the orders ended (${String(error)}). Start it, or pass --offline.`,
    )
    process.exit(1)
  }
  try {
    return await orderExpectations(new Client({ connection, namespace: config.namespace }), entries)
  } finally {
    await connection.close()
  }
}

run().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
