// The journal written once over a small SQL driver (sql-driver.ts), so SQLite (one relay) and PostgreSQL (several
// relays sharing work) behave the same: the schema, and the stores by role (the action journal in sql-actions.ts,
// the smaller stores in sql-stores.ts) over one driver.
import { SqlActionJournal } from "./sql-actions.ts";
import { deskSchema, SqlDeskStore } from "./sql-desk.ts";
import type { SqlDriver } from "./sql-driver.ts";
import { SqlCursorStore, SqlJobTable, SqlProposalStore, SqlSpendStore } from "./sql-stores.ts";
import type { Journal } from "./types.ts";

/** The tables, in the shape both dialects accept; `serial` is the auto-increment column type of the dialect. */
export function journalSchema(big: string, serial: string): string {
  return `
CREATE TABLE IF NOT EXISTS actions (
  id ${big} PRIMARY KEY, kind TEXT NOT NULL, payload_hex TEXT NOT NULL, eta ${big} NOT NULL, expires ${big} NOT NULL,
  state TEXT NOT NULL, attempt INTEGER NOT NULL, claim_txid TEXT, claim_expires ${big}, executing_at ${big},
  daemon_ref TEXT, outcome TEXT, evidence_hex TEXT, failure_code INTEGER, failure_retryable INTEGER,
  failure_detail TEXT, report_txid TEXT, closed_reason TEXT, last_error TEXT, last_error_kind TEXT,
  error_count INTEGER NOT NULL, retry_at ${big} NOT NULL, owner TEXT, lease_until ${big} NOT NULL,
  created_at ${big} NOT NULL, updated_at ${big} NOT NULL);
CREATE INDEX IF NOT EXISTS actions_due ON actions (state, retry_at);
CREATE TABLE IF NOT EXISTS transitions (
  seq ${serial}, action_id ${big} NOT NULL, from_state TEXT, to_state TEXT NOT NULL, at ${big} NOT NULL, detail TEXT);
CREATE INDEX IF NOT EXISTS transitions_action ON transitions (action_id, seq);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at ${big} NOT NULL);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at ${big} NOT NULL);
CREATE TABLE IF NOT EXISTS spend (action_id ${big} PRIMARY KEY, day TEXT NOT NULL, sats TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS spend_day ON spend (day);
CREATE TABLE IF NOT EXISTS proposals (
  id ${big} PRIMARY KEY, kind TEXT NOT NULL, verdict TEXT NOT NULL, detail TEXT, seen_at ${big} NOT NULL);
${deskSchema(big)}`;
}

/** The journal's stores over one driver. The `kv` table holds the workers' jobs. */
export class SqlJournal implements Journal {
  readonly actions: SqlActionJournal;
  readonly cursors: SqlCursorStore;
  readonly jobs: SqlJobTable;
  readonly spend: SqlSpendStore;
  readonly proposals: SqlProposalStore;
  readonly desk: SqlDeskStore;

  constructor(
    private readonly db: SqlDriver,
    private readonly schema: string,
  ) {
    this.actions = new SqlActionJournal(db);
    this.cursors = new SqlCursorStore(db);
    this.jobs = new SqlJobTable(db);
    this.spend = new SqlSpendStore(db);
    this.proposals = new SqlProposalStore(db);
    this.desk = new SqlDeskStore(db);
  }

  get backend(): "sqlite" | "postgres" {
    return this.db.dialect;
  }

  async migrate(): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const statement of this.schema
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean))
        await tx.run(statement);
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
