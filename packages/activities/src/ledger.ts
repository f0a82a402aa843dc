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
  /**
   * What the money was for: a cart's order may hold a second charge (the extra tip with the
   * rating) and a partial refund (a shortage) besides the order's charge and full refund.
   * Absent on entries written before purposes were recorded: those are `order` or `full`.
   */
  purpose?: PaymentPurpose
  at: string
}

/** Charges: `order` (checkout's total), `extra-tip`; refunds: `full` (what is left), `shortage` (a partial one). */
export type PaymentPurpose = 'order' | 'extra-tip' | 'full' | 'shortage'

/** The purpose of an entry, reading entries written before purposes as the order's charge and full refund. */
export function purposeOf(entry: Pick<LedgerEntry, 'kind' | 'purpose'>): PaymentPurpose {
  return entry.purpose ?? (entry.kind === 'charge' ? 'order' : 'full')
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

const PAYMENT_COLUMNS = `SELECT idempotency_key AS idempotencyKey, kind, order_id AS orderId, payment_id AS paymentId, cents, purpose, at FROM payments`

type Row = Omit<LedgerEntry, 'paymentId' | 'purpose'> & { paymentId: string | null; purpose: PaymentPurpose | null }

function fromRow({ paymentId, purpose, ...row }: Row): LedgerEntry {
  return {
    ...row,
    ...(paymentId === null ? {} : { paymentId }),
    ...(purpose === null ? {} : { purpose }),
  }
}

/** One order the simulated restaurant received (restaurant.ts): kept so a restarted Worker resumes its callbacks. */
export interface RestaurantOrderEntry {
  idempotencyKey: string
  orderId: string
  /** The order's lines as sent (JSON of OrderLine[]). */
  lines: string
  /** What the kitchen decided when it received the order (JSON), so a restart does not decide again. */
  plan: string
  /** Where its callbacks are: `received` (to accept or decline), `accepted` (to mark ready), `done`. */
  stage: 'received' | 'accepted' | 'done'
  /** When the next callback is due (ms since epoch). */
  dueAt: number
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
      CREATE TABLE IF NOT EXISTS restaurant_orders (
        idempotency_key TEXT PRIMARY KEY,
        order_id TEXT NOT NULL,
        lines TEXT NOT NULL,
        plan TEXT NOT NULL,
        stage TEXT NOT NULL CHECK (stage IN ('received', 'accepted', 'done')),
        due_at INTEGER NOT NULL,
        at TEXT NOT NULL
      );
    `)
    // Ledgers written before payments had ids, then purposes, gain the columns (the file outlives deploys).
    this.addColumn('payment_id')
    this.addColumn('purpose')
  }

  private addColumn(name: string): void {
    const columns = this.db.prepare(`PRAGMA table_info(payments)`).all() as Array<{ name: string }>
    if (columns.some((column) => column.name === name)) return
    try {
      this.db.exec(`ALTER TABLE payments ADD COLUMN ${name} TEXT`)
    } catch (error) {
      // Another Worker process migrated the same file a moment ago.
      if (!String(error).includes('duplicate column')) throw error
    }
  }

  /**
   * Records a payment unless its key is already recorded; true when this call recorded it. A key
   * recorded before for another amount, kind, order or payment throws IdempotencyKeyReusedError.
   */
  recordPayment(entry: Omit<LedgerEntry, 'at'>): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO payments (idempotency_key, kind, order_id, payment_id, cents, purpose, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.idempotencyKey,
        entry.kind,
        entry.orderId,
        entry.paymentId ?? null,
        entry.cents,
        entry.purpose ?? null,
        new Date().toISOString(),
      )
    if (result.changes === 1) return true
    const existing = this.db.prepare(`${PAYMENT_COLUMNS} WHERE idempotency_key = ?`).get(entry.idempotencyKey) as Row
    const recorded = fromRow(existing)
    if (
      recorded.kind !== entry.kind ||
      recorded.cents !== entry.cents ||
      recorded.orderId !== entry.orderId ||
      recorded.paymentId !== entry.paymentId ||
      purposeOf(recorded) !== purposeOf(entry)
    ) {
      throw new IdempotencyKeyReusedError(
        `Idempotency key ${entry.idempotencyKey} was already used for a ${recorded.kind} of ${recorded.cents} cents ` +
          `(order ${recorded.orderId}); refusing a ${entry.kind} of ${entry.cents} cents under it`,
      )
    }
    return false
  }

  /**
   * The payment's entry of one kind and purpose: by default the order's one charge or its full
   * refund (entries written before purposes count as those).
   */
  findPayment(
    kind: LedgerEntry['kind'],
    orderId: string,
    paymentId: string | undefined,
    purpose: PaymentPurpose = kind === 'charge' ? 'order' : 'full',
  ): LedgerEntry | undefined {
    return this.paymentsOf(orderId, paymentId).find((entry) => entry.kind === kind && purposeOf(entry) === purpose)
  }

  /** Every entry of one order run's payment, oldest first. */
  paymentsOf(orderId: string, paymentId: string | undefined): LedgerEntry[] {
    return (
      this.db
        .prepare(`${PAYMENT_COLUMNS} WHERE order_id = ? AND payment_id IS ? ORDER BY rowid`)
        .all(orderId, paymentId ?? null) as Row[]
    ).map(fromRow)
  }

  /** Records an order the restaurant received, once per key; true when this call recorded it. */
  recordRestaurantOrder(entry: Omit<RestaurantOrderEntry, 'at' | 'stage'>): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO restaurant_orders (idempotency_key, order_id, lines, plan, stage, due_at, at) VALUES (?, ?, ?, ?, 'received', ?, ?)`,
      )
      .run(entry.idempotencyKey, entry.orderId, entry.lines, entry.plan, entry.dueAt, new Date().toISOString())
    return result.changes === 1
  }

  /** Moves a received order on to its next callback (or done). */
  advanceRestaurantOrder(idempotencyKey: string, stage: RestaurantOrderEntry['stage'], dueAt: number): void {
    this.db
      .prepare(`UPDATE restaurant_orders SET stage = ?, due_at = ? WHERE idempotency_key = ?`)
      .run(stage, dueAt, idempotencyKey)
  }

  /** The orders whose callbacks are still to come, the soonest first; or every order, done ones too. */
  restaurantOrders(which: 'pending' | 'all' = 'pending'): RestaurantOrderEntry[] {
    const sql = `SELECT idempotency_key AS idempotencyKey, order_id AS orderId, lines, plan, stage, due_at AS dueAt, at FROM restaurant_orders`
    return this.db
      .prepare(which === 'pending' ? `${sql} WHERE stage != 'done' ORDER BY due_at` : `${sql} ORDER BY rowid`)
      .all() as RestaurantOrderEntry[]
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
