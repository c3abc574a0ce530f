// The journal's logic, written once over a small SQL driver so SQLite (one relay) and PostgreSQL (several relays
// sharing work) behave the same. Statements use `?` placeholders; the PostgreSQL driver numbers them.
import {
  JournalConflict,
  TERMINAL_STATES,
  type Journal,
  type JournalRow,
  type JournalState,
  type NewAction,
  type ProposalNote,
  type RowPatch,
  type Transition,
} from "./types.ts";

export interface SqlDriver {
  readonly dialect: "sqlite" | "postgres";
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs `body` in one transaction; the driver passed in is bound to it. */
  transaction<T>(body: (tx: SqlDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const COLUMNS: { [K in keyof RowPatch]-?: string } = {
  eta: "eta",
  expires: "expires",
  attempt: "attempt",
  claimTxid: "claim_txid",
  claimExpires: "claim_expires",
  executingAt: "executing_at",
  daemonRef: "daemon_ref",
  outcome: "outcome",
  evidenceHex: "evidence_hex",
  failureCode: "failure_code",
  failureRetryable: "failure_retryable",
  failureDetail: "failure_detail",
  reportTxid: "report_txid",
  closedReason: "closed_reason",
  lastError: "last_error",
  lastErrorKind: "last_error_kind",
  errorCount: "error_count",
  retryAt: "retry_at",
  owner: "owner",
  leaseUntil: "lease_until",
};

const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function toRow(r: Record<string, unknown>): JournalRow {
  return {
    id: BigInt(r.id as string | number | bigint),
    kind: String(r.kind),
    payloadHex: String(r.payload_hex),
    eta: num(r.eta),
    expires: num(r.expires),
    state: String(r.state) as JournalState,
    attempt: num(r.attempt),
    claimTxid: strOrNull(r.claim_txid),
    claimExpires: numOrNull(r.claim_expires),
    executingAt: numOrNull(r.executing_at),
    daemonRef: strOrNull(r.daemon_ref),
    outcome: strOrNull(r.outcome) as JournalRow["outcome"],
    evidenceHex: strOrNull(r.evidence_hex),
    failureCode: numOrNull(r.failure_code),
    failureRetryable: r.failure_retryable === null || r.failure_retryable === undefined ? null : num(r.failure_retryable) === 1,
    failureDetail: strOrNull(r.failure_detail),
    reportTxid: strOrNull(r.report_txid),
    closedReason: strOrNull(r.closed_reason),
    lastError: strOrNull(r.last_error),
    lastErrorKind: strOrNull(r.last_error_kind) as JournalRow["lastErrorKind"],
    errorCount: num(r.error_count),
    retryAt: num(r.retry_at),
    owner: strOrNull(r.owner),
    leaseUntil: num(r.lease_until),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

function patchAssignments(patch: RowPatch): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  for (const [key, value] of Object.entries(patch) as [keyof RowPatch, unknown][]) {
    if (value === undefined) continue;
    sql.push(`${COLUMNS[key]} = ?`);
    params.push(typeof value === "boolean" ? (value ? 1 : 0) : value);
  }
  return { sql, params };
}

const TERMINAL_LIST = TERMINAL_STATES.map((s) => `'${s}'`).join(", ");

export class SqlJournal implements Journal {
  constructor(
    private readonly db: SqlDriver,
    private readonly schema: string,
  ) {}

  get backend(): "sqlite" | "postgres" {
    return this.db.dialect;
  }

  async migrate(): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const statement of this.schema.split(";").map((s) => s.trim()).filter(Boolean)) await tx.run(statement);
    });
  }

  async insertSeen(action: NewAction, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.run(
        `INSERT INTO actions (id, kind, payload_hex, eta, expires, state, attempt, retry_at, error_count, lease_until, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'seen', ?, 0, 0, 0, ?, ?) ON CONFLICT (id) DO NOTHING`,
        [action.id, action.kind, action.payloadHex, action.eta, action.expires, action.attempt, now, now],
      );
      if (changed > 0) await this.log(tx, action.id, null, "seen", now, `attempt ${action.attempt}`);
      return changed > 0;
    });
  }

  async get(id: bigint): Promise<JournalRow | undefined> {
    const rows = await this.db.all("SELECT * FROM actions WHERE id = ?", [id]);
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  async takeJob(owner: string, now: number, leaseMs: number): Promise<JournalRow | undefined> {
    return this.db.transaction(async (tx) => {
      const lock = this.db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
      const picked = await tx.all(
        `SELECT id FROM actions WHERE state NOT IN (${TERMINAL_LIST}) AND retry_at <= ?
           AND (owner IS NULL OR owner = ? OR lease_until < ?) ORDER BY retry_at, id LIMIT 1${lock}`,
        [now, owner, now],
      );
      if (!picked[0]) return undefined;
      await tx.run("UPDATE actions SET owner = ?, lease_until = ? WHERE id = ?", [owner, now + leaseMs, picked[0].id]);
      const rows = await tx.all("SELECT * FROM actions WHERE id = ?", [picked[0].id]);
      return toRow(rows[0]!);
    });
  }

  async renewJob(id: bigint, owner: string, now: number, leaseMs: number): Promise<boolean> {
    return (await this.db.run("UPDATE actions SET lease_until = ? WHERE id = ? AND owner = ?", [now + leaseMs, id, owner])) > 0;
  }

  async transition(id: bigint, from: JournalState, to: JournalState, patch: RowPatch, now: number, detail?: string): Promise<JournalRow> {
    return this.db.transaction(async (tx) => {
      const { sql, params } = patchAssignments(patch);
      const changed = await tx.run(
        `UPDATE actions SET ${["state = ?", ...sql, "updated_at = ?"].join(", ")} WHERE id = ? AND state = ?`,
        [to, ...params, now, id, from],
      );
      if (changed === 0) {
        const current = await tx.all("SELECT state FROM actions WHERE id = ?", [id]);
        throw new JournalConflict(id, from, current[0] ? (String(current[0].state) as JournalState) : undefined);
      }
      await this.log(tx, id, from, to, now, detail ?? null);
      return toRow((await tx.all("SELECT * FROM actions WHERE id = ?", [id]))[0]!);
    });
  }

  async patch(id: bigint, patch: RowPatch, now: number): Promise<JournalRow> {
    const { sql, params } = patchAssignments(patch);
    await this.db.run(`UPDATE actions SET ${[...sql, "updated_at = ?"].join(", ")} WHERE id = ?`, [...params, now, id]);
    const row = await this.get(id);
    if (!row) throw new Error(`journal: no action ${id}`);
    return row;
  }

  async list(filter: { states?: JournalState[]; limit?: number } = {}): Promise<JournalRow[]> {
    const states = filter.states ?? [];
    const where = states.length ? `WHERE state IN (${states.map(() => "?").join(", ")})` : "";
    const rows = await this.db.all(`SELECT * FROM actions ${where} ORDER BY id DESC LIMIT ?`, [...states, filter.limit ?? 1000]);
    return rows.map(toRow);
  }

  async history(id: bigint): Promise<Transition[]> {
    const rows = await this.db.all("SELECT * FROM transitions WHERE action_id = ? ORDER BY seq", [id]);
    return rows.map((r) => ({
      actionId: BigInt(r.action_id as string),
      from: strOrNull(r.from_state) as JournalState | null,
      to: String(r.to_state) as JournalState,
      at: num(r.at),
      detail: strOrNull(r.detail),
    }));
  }

  async countByState(): Promise<Record<string, number>> {
    const rows = await this.db.all("SELECT state, COUNT(*) AS n FROM actions GROUP BY state");
    return Object.fromEntries(rows.map((r) => [String(r.state), num(r.n)]));
  }

  async countByOutcome(): Promise<{ kind: string; outcome: string; count: number }[]> {
    const rows = await this.db.all(
      `SELECT kind, COALESCE(outcome, state) AS outcome, COUNT(*) AS n FROM actions GROUP BY kind, COALESCE(outcome, state) ORDER BY kind`,
    );
    return rows.map((r) => ({ kind: String(r.kind), outcome: String(r.outcome), count: num(r.n) }));
  }

  async getCursor(name: string): Promise<string | undefined> {
    const rows = await this.db.all("SELECT value FROM cursors WHERE name = ?", [name]);
    return rows[0] ? String(rows[0].value) : undefined;
  }

  async setCursor(name: string, value: string, now: number): Promise<void> {
    await this.db.run(
      "INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      [name, value, now],
    );
  }

  async cursors(): Promise<{ name: string; value: string; updatedAt: number }[]> {
    const rows = await this.db.all("SELECT name, value, updated_at FROM cursors ORDER BY name");
    return rows.map((r) => ({ name: String(r.name), value: String(r.value), updatedAt: num(r.updated_at) }));
  }

  async getValue(key: string): Promise<string | undefined> {
    const rows = await this.db.all("SELECT value FROM kv WHERE key = ?", [key]);
    return rows[0] ? String(rows[0].value) : undefined;
  }

  async setValue(key: string, value: string, now: number): Promise<void> {
    await this.db.run(
      "INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      [key, value, now],
    );
  }

  async compareAndSetValue(key: string, expected: string | undefined, next: string, now: number): Promise<boolean> {
    const changed =
      expected === undefined
        ? await this.db.run("INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING", [key, next, now])
        : await this.db.run("UPDATE kv SET value = ?, updated_at = ? WHERE key = ? AND value = ?", [next, now, key, expected]);
    return changed > 0;
  }

  async listValues(prefix: string): Promise<{ key: string; value: string; updatedAt: number }[]> {
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db.all("SELECT key, value, updated_at FROM kv WHERE key LIKE ? ESCAPE '\\' ORDER BY key", [pattern]);
    // SQLite's LIKE ignores ASCII case; the prefix test keeps exactly the keys asked for.
    return rows.filter((r) => String(r.key).startsWith(prefix)).map((r) => ({ key: String(r.key), value: String(r.value), updatedAt: num(r.updated_at) }));
  }

  async recordSpend(actionId: bigint, day: string, sats: bigint): Promise<void> {
    await this.db.run("INSERT INTO spend (action_id, day, sats) VALUES (?, ?, ?) ON CONFLICT (action_id) DO NOTHING", [
      actionId,
      day,
      sats.toString(),
    ]);
  }

  async spentOn(day: string): Promise<bigint> {
    const rows = await this.db.all("SELECT sats FROM spend WHERE day = ?", [day]);
    return rows.reduce((sum, r) => sum + BigInt(String(r.sats)), 0n);
  }

  async noteProposal(note: ProposalNote, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO proposals (id, kind, verdict, detail, seen_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET verdict = excluded.verdict, detail = excluded.detail`,
      [note.id, note.kind, note.verdict, note.detail, now],
    );
  }

  async proposals(limit: number): Promise<ProposalNote[]> {
    const rows = await this.db.all("SELECT * FROM proposals ORDER BY id DESC LIMIT ?", [limit]);
    return rows.map((r) => ({
      id: BigInt(r.id as string),
      kind: String(r.kind),
      verdict: String(r.verdict) as ProposalNote["verdict"],
      detail: strOrNull(r.detail),
    }));
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private async log(tx: SqlDriver, id: bigint, from: JournalState | null, to: JournalState, at: number, detail: string | null): Promise<void> {
    await tx.run("INSERT INTO transitions (action_id, from_state, to_state, at, detail) VALUES (?, ?, ?, ?, ?)", [id, from, to, at, detail]);
  }
}

/** The tables, in the shape both dialects accept; `serial` is the auto-increment column type of the dialect. */
export function journalSchema(big: string, serial: string): string {
  return `
CREATE TABLE IF NOT EXISTS actions (
  id ${big} PRIMARY KEY, kind TEXT NOT NULL, payload_hex TEXT NOT NULL, eta ${big} NOT NULL, expires ${big} NOT NULL,
  state TEXT NOT NULL, attempt INTEGER NOT NULL, claim_txid TEXT, claim_expires ${big}, executing_at ${big},
  daemon_ref TEXT, outcome TEXT, evidence_hex TEXT, failure_code INTEGER, failure_retryable INTEGER, failure_detail TEXT,
  report_txid TEXT, closed_reason TEXT, last_error TEXT, last_error_kind TEXT, error_count INTEGER NOT NULL,
  retry_at ${big} NOT NULL, owner TEXT, lease_until ${big} NOT NULL, created_at ${big} NOT NULL, updated_at ${big} NOT NULL);
CREATE INDEX IF NOT EXISTS actions_due ON actions (state, retry_at);
CREATE TABLE IF NOT EXISTS transitions (
  seq ${serial}, action_id ${big} NOT NULL, from_state TEXT, to_state TEXT NOT NULL, at ${big} NOT NULL, detail TEXT);
CREATE INDEX IF NOT EXISTS transitions_action ON transitions (action_id, seq);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at ${big} NOT NULL);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at ${big} NOT NULL);
CREATE TABLE IF NOT EXISTS spend (action_id ${big} PRIMARY KEY, day TEXT NOT NULL, sats TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS spend_day ON spend (day);
CREATE TABLE IF NOT EXISTS proposals (id ${big} PRIMARY KEY, kind TEXT NOT NULL, verdict TEXT NOT NULL, detail TEXT, seen_at ${big} NOT NULL)`;
}
