// The co-signer's own journal (SQLite, one file): every request's outcome, and for each action id the one
// unsigned transaction it signed and the PSBT it returned. The action id is the primary key, so a second,
// different transaction for the same decision can never be signed, even across restarts.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export interface SignedRecord {
  actionId: string;
  unsignedTxid: string;
  psbt: string;
}

export class CosignerJournal {
  private readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS signed (
        action_id TEXT PRIMARY KEY,
        unsigned_txid TEXT NOT NULL,
        psbt TEXT NOT NULL,
        kind TEXT NOT NULL,
        signed_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        action_id TEXT NOT NULL,
        unsigned_txid TEXT,
        outcome TEXT NOT NULL,
        reason TEXT NOT NULL,
        at INTEGER NOT NULL
      );`);
  }

  signed(actionId: string): SignedRecord | undefined {
    const row = this.db
      .prepare("SELECT action_id, unsigned_txid, psbt FROM signed WHERE action_id = ?")
      .get(actionId) as { action_id: string; unsigned_txid: string; psbt: string } | undefined;
    return row && { actionId: row.action_id, unsignedTxid: row.unsigned_txid, psbt: row.psbt };
  }

  /** Records a signature; throws if the action id already has one (the caller checked in the same tick). */
  recordSigned(record: SignedRecord, kind: string): void {
    const now = Date.now();
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO signed (action_id, unsigned_txid, psbt, kind, signed_at) VALUES (?, ?, ?, ?, ?)")
        .run(record.actionId, record.unsignedTxid, record.psbt, kind, now);
      this.logRequest(record.actionId, record.unsignedTxid, "signed", kind);
    })();
  }

  logRequest(actionId: string, unsignedTxid: string | undefined, outcome: string, reason: string): void {
    this.db
      .prepare("INSERT INTO requests (action_id, unsigned_txid, outcome, reason, at) VALUES (?, ?, ?, ?, ?)")
      .run(actionId, unsignedTxid ?? null, outcome, reason, Date.now());
  }

  requests(): { actionId: string; outcome: string; reason: string }[] {
    return (
      this.db.prepare("SELECT action_id, outcome, reason FROM requests ORDER BY id").all() as {
        action_id: string;
        outcome: string;
        reason: string;
      }[]
    ).map((r) => ({ actionId: r.action_id, outcome: r.outcome, reason: r.reason }));
  }

  close(): void {
    this.db.close();
  }
}
