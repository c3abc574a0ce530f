// The action journal over the SQL driver: one row per action job, every move a compare-and-set on its state,
// checked against TRANSITIONS and logged in `transitions`; jobs taken with a lease per relay (PostgreSQL: FOR
// UPDATE SKIP LOCKED, so relays sharing the journal never take the same job).
import { num, numOrNull, strOrNull, type SqlDriver } from "./sql-driver.ts";
import {
  IllegalTransition,
  isLegalMove,
  JournalConflict,
  TERMINAL_STATES,
  type ActionJournal,
  type JournalRow,
  type JournalState,
  type NewAction,
  type RowPatch,
  type Transition,
} from "./types.ts";

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

/** What a requeue clears: everything the previous attempt wrote. */
const FRESH_ATTEMPT: RowPatch = {
  claimTxid: null,
  claimExpires: null,
  reportTxid: null,
  outcome: null,
  failureCode: null,
  failureRetryable: null,
  failureDetail: null,
  closedReason: null,
  errorCount: 0,
};

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
    failureRetryable:
      r.failure_retryable === null || r.failure_retryable === undefined ? null : num(r.failure_retryable) === 1,
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

export class SqlActionJournal implements ActionJournal {
  constructor(private readonly db: SqlDriver) {}

  async insertSeen(action: NewAction, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const changed = await tx.run(
        `INSERT INTO actions (id, kind, payload_hex, eta, expires, state, attempt, retry_at, error_count, lease_until,
                              created_at, updated_at)
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

  async list(filter: { states?: JournalState[]; limit?: number } = {}): Promise<JournalRow[]> {
    const states = filter.states ?? [];
    const where = states.length ? `WHERE state IN (${states.map(() => "?").join(", ")})` : "";
    const rows = await this.db.all(`SELECT * FROM actions ${where} ORDER BY id DESC LIMIT ?`, [
      ...states,
      filter.limit ?? 1000,
    ]);
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
      "SELECT kind, COALESCE(outcome, state) AS outcome, COUNT(*) AS n FROM actions " +
        "GROUP BY kind, COALESCE(outcome, state) ORDER BY kind",
    );
    return rows.map((r) => ({ kind: String(r.kind), outcome: String(r.outcome), count: num(r.n) }));
  }

  async lastExecuted(kind: string): Promise<JournalRow | undefined> {
    const rows = await this.db.all(
      "SELECT * FROM actions WHERE kind = ? AND state = 'reported' AND outcome = 'success' ORDER BY id DESC LIMIT 1",
      [kind],
    );
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  async move(
    id: bigint,
    from: JournalState,
    to: JournalState,
    patch: RowPatch,
    now: number,
    detail?: string,
  ): Promise<JournalRow> {
    if (!isLegalMove(from, to)) throw new IllegalTransition(id, from, to);
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

  close(id: bigint, from: JournalState, reason: string, now: number, detail?: string): Promise<JournalRow> {
    return this.move(id, from, "closed", { closedReason: reason }, now, detail ?? reason);
  }

  requeue(
    id: bigint,
    from: JournalState,
    next: { attempt: number; retryAt: number },
    now: number,
    detail: string,
  ): Promise<JournalRow> {
    return this.move(id, from, "seen", { ...FRESH_ATTEMPT, attempt: next.attempt, retryAt: next.retryAt }, now, detail);
  }

  async patch(id: bigint, patch: RowPatch, now: number): Promise<JournalRow> {
    const { sql, params } = patchAssignments(patch);
    await this.db.run(`UPDATE actions SET ${[...sql, "updated_at = ?"].join(", ")} WHERE id = ?`, [...params, now, id]);
    const row = await this.get(id);
    if (!row) throw new Error(`journal: no action ${id}`);
    return row;
  }

  async take(
    owner: string,
    now: number,
    leaseMs: number,
    skip: readonly bigint[] = [],
  ): Promise<JournalRow | undefined> {
    return this.db.transaction(async (tx) => {
      const lock = this.db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
      const skipped = skip.length > 0 ? ` AND id NOT IN (${skip.map(() => "?").join(", ")})` : "";
      const picked = await tx.all(
        `SELECT id FROM actions WHERE state NOT IN (${TERMINAL_LIST}) AND retry_at <= ?
           AND (owner IS NULL OR owner = ? OR lease_until < ?)${skipped} ORDER BY retry_at, id LIMIT 1${lock}`,
        [now, owner, now, ...skip],
      );
      if (!picked[0]) return undefined;
      await tx.run("UPDATE actions SET owner = ?, lease_until = ? WHERE id = ?", [owner, now + leaseMs, picked[0].id]);
      const rows = await tx.all("SELECT * FROM actions WHERE id = ?", [picked[0].id]);
      return toRow(rows[0]!);
    });
  }

  async renew(id: bigint, owner: string, now: number, leaseMs: number): Promise<boolean> {
    return (
      (await this.db.run("UPDATE actions SET lease_until = ? WHERE id = ? AND owner = ?", [now + leaseMs, id, owner])) >
      0
    );
  }

  release(id: bigint, now: number): Promise<JournalRow> {
    return this.patch(id, { owner: null, leaseUntil: 0 }, now);
  }

  private async log(
    tx: SqlDriver,
    id: bigint,
    from: JournalState | null,
    to: JournalState,
    at: number,
    detail: string | null,
  ): Promise<void> {
    await tx.run("INSERT INTO transitions (action_id, from_state, to_state, at, detail) VALUES (?, ?, ?, ?, ?)", [
      id,
      from,
      to,
      at,
      detail,
    ]);
  }
}
