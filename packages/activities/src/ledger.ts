import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

/**
 * The simulated payment service's book of record: every charge and refund, keyed by its
 * idempotency key, in SQLite so that it survives Worker crashes and is shared by every Worker
 * process on the machine. The primary key is what makes a retried call a no-op.
 */
export interface LedgerEntry {
  idempotencyKey: string
  kind: 'charge' | 'refund'
  orderId: string
  cents: number
  at: string
}

export interface NotificationEntry {
  idempotencyKey: string
  orderId: string
  message: string
  at: string
}

export class Ledger {
  private readonly db: Database.Database

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    this.db = new Database(path)
    // WAL lets several Worker processes write while tests read; busy_timeout makes them queue.
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS payments (
        idempotency_key TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('charge', 'refund')),
        order_id TEXT NOT NULL,
        cents INTEGER NOT NULL,
        at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS notifications (
        idempotency_key TEXT PRIMARY KEY,
        order_id TEXT NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL
      );
    `)
  }

  /** Records a payment unless its key is already recorded; true when this call recorded it. */
  recordPayment(entry: Omit<LedgerEntry, 'at'>): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO payments (idempotency_key, kind, order_id, cents, at) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(entry.idempotencyKey, entry.kind, entry.orderId, entry.cents, new Date().toISOString())
    return result.changes === 1
  }

  recordNotification(entry: Omit<NotificationEntry, 'at'>): boolean {
    const result = this.db
      .prepare(`INSERT OR IGNORE INTO notifications (idempotency_key, order_id, message, at) VALUES (?, ?, ?, ?)`)
      .run(entry.idempotencyKey, entry.orderId, entry.message, new Date().toISOString())
    return result.changes === 1
  }

  payments(orderId?: string): LedgerEntry[] {
    const sql = `SELECT idempotency_key AS idempotencyKey, kind, order_id AS orderId, cents, at FROM payments`
    return (
      orderId === undefined
        ? this.db.prepare(`${sql} ORDER BY rowid`).all()
        : this.db.prepare(`${sql} WHERE order_id = ? ORDER BY rowid`).all(orderId)
    ) as LedgerEntry[]
  }

  notifications(orderId?: string): NotificationEntry[] {
    const sql = `SELECT idempotency_key AS idempotencyKey, order_id AS orderId, message, at FROM notifications`
    return (
      orderId === undefined
        ? this.db.prepare(`${sql} ORDER BY rowid`).all()
        : this.db.prepare(`${sql} WHERE order_id = ? ORDER BY rowid`).all(orderId)
    ) as NotificationEntry[]
  }

  close(): void {
    this.db.close()
  }
}
