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
  /**
   * The order run's payment (its first run id): an order id used again is a new payment. Absent
   * on entries written before payments had ids (keys then derived from the order id alone).
   */
  paymentId?: string
  /** A refund of 0 cents with no charge voids the payment: a late charge under it is refused. */
  cents: number
  at: string
}

/** A key recorded before with another amount, kind or order: the service refuses it, loudly. */
export class IdempotencyKeyReusedError extends Error {
  override name = 'IdempotencyKeyReusedError'
}

export interface NotificationEntry {
  idempotencyKey: string
  orderId: string
  message: string
  at: string
}

const PAYMENT_COLUMNS = `SELECT idempotency_key AS idempotencyKey, kind, order_id AS orderId, payment_id AS paymentId, cents, at FROM payments`

type Row = Omit<LedgerEntry, 'paymentId'> & { paymentId: string | null }

function fromRow({ paymentId, ...row }: Row): LedgerEntry {
  return paymentId === null ? row : { ...row, paymentId }
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
    // Ledgers written before payments had ids gain the column (the file outlives deploys).
    const columns = this.db.prepare(`PRAGMA table_info(payments)`).all() as Array<{ name: string }>
    if (!columns.some((column) => column.name === 'payment_id')) {
      try {
        this.db.exec(`ALTER TABLE payments ADD COLUMN payment_id TEXT`)
      } catch (error) {
        // Another Worker process migrated the same file a moment ago.
        if (!String(error).includes('duplicate column')) throw error
      }
    }
  }

  /**
   * Records a payment unless its key is already recorded; true when this call recorded it. A key
   * recorded before for another amount, kind, order or payment throws IdempotencyKeyReusedError.
   */
  recordPayment(entry: Omit<LedgerEntry, 'at'>): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO payments (idempotency_key, kind, order_id, payment_id, cents, at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.idempotencyKey,
        entry.kind,
        entry.orderId,
        entry.paymentId ?? null,
        entry.cents,
        new Date().toISOString(),
      )
    if (result.changes === 1) return true
    const existing = this.db.prepare(`${PAYMENT_COLUMNS} WHERE idempotency_key = ?`).get(entry.idempotencyKey) as Row
    const recorded = fromRow(existing)
    if (
      recorded.kind !== entry.kind ||
      recorded.cents !== entry.cents ||
      recorded.orderId !== entry.orderId ||
      recorded.paymentId !== entry.paymentId
    ) {
      throw new IdempotencyKeyReusedError(
        `Idempotency key ${entry.idempotencyKey} was already used for a ${recorded.kind} of ${recorded.cents} cents ` +
          `(order ${recorded.orderId}); refusing a ${entry.kind} of ${entry.cents} cents under it`,
      )
    }
    return false
  }

  /** The payment's entry of one kind: the one charge or refund of an order run. */
  findPayment(kind: LedgerEntry['kind'], orderId: string, paymentId: string | undefined): LedgerEntry | undefined {
    const row = this.db
      .prepare(`${PAYMENT_COLUMNS} WHERE kind = ? AND order_id = ? AND payment_id IS ? ORDER BY rowid LIMIT 1`)
      .get(kind, orderId, paymentId ?? null) as Row | undefined
    return row && fromRow(row)
  }

  /** Runs `work` as one write transaction: other processes on the same file wait (check, then act, atomically). */
  atomically<T>(work: () => T): T {
    return this.db.transaction(work).immediate()
  }

  /**
   * Forgets an order's payments, as a ledger file lost in a deploy would. For tests and drills of
   * the refund-rejected path only.
   */
  forgetPayments(orderId: string): void {
    this.db.prepare(`DELETE FROM payments WHERE order_id = ?`).run(orderId)
  }

  recordNotification(entry: Omit<NotificationEntry, 'at'>): boolean {
    const result = this.db
      .prepare(`INSERT OR IGNORE INTO notifications (idempotency_key, order_id, message, at) VALUES (?, ?, ?, ?)`)
      .run(entry.idempotencyKey, entry.orderId, entry.message, new Date().toISOString())
    return result.changes === 1
  }

  payments(orderId?: string): LedgerEntry[] {
    return (
      (orderId === undefined
        ? this.db.prepare(`${PAYMENT_COLUMNS} ORDER BY rowid`).all()
        : this.db.prepare(`${PAYMENT_COLUMNS} WHERE order_id = ? ORDER BY rowid`).all(orderId)) as Row[]
    ).map(fromRow)
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
