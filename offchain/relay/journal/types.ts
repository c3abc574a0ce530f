// The journal's model: one job per action, keyed by the action id (= proposal id), moving through the states of
// DESIGN.md section 4. Each transition is a compare-and-set on the current state, written before the side effect
// it announces, so a crash at any point leaves a row that says exactly what may have happened.
//
//   seen -> claimed (claim tx confirmed) -> executing (written BEFORE the daemon call) -> done (result recorded)
//        -> reported (receipt tx confirmed)
//   any open state -> closed (the action ended on-chain without this relay: executed elsewhere, expired, vetoed)

export const JOURNAL_STATES = ["seen", "claimed", "executing", "done", "reported", "closed"] as const;
export type JournalState = (typeof JOURNAL_STATES)[number];
export const TERMINAL_STATES: readonly JournalState[] = ["reported", "closed"];

export type ErrorKind = "retryable" | "permanent";

export interface JournalRow {
  id: bigint;
  kind: string;
  payloadHex: string;
  eta: number;
  expires: number;
  state: JournalState;
  /** the on-chain attempt count when this round was seen */
  attempt: number;
  claimTxid: string | null;
  claimExpires: number | null;
  /** when `executing` was written (ms), for the recovery grace period */
  executingAt: number | null;
  /** what the daemon answered: a funding outpoint, a swap hash, an anchor txid */
  daemonRef: string | null;
  outcome: "success" | "failure" | null;
  evidenceHex: string | null;
  failureCode: number | null;
  failureRetryable: boolean | null;
  failureDetail: string | null;
  reportTxid: string | null;
  closedReason: string | null;
  lastError: string | null;
  lastErrorKind: ErrorKind | null;
  errorCount: number;
  /** ms since epoch; the job is not picked before */
  retryAt: number;
  owner: string | null;
  leaseUntil: number;
  createdAt: number;
  updatedAt: number;
}

export type RowPatch = Partial<Omit<JournalRow, "id" | "kind" | "payloadHex" | "state" | "createdAt" | "updatedAt">>;

export interface NewAction {
  id: bigint;
  kind: string;
  payloadHex: string;
  eta: number;
  expires: number;
  attempt: number;
}

export interface Transition {
  actionId: bigint;
  from: JournalState | null;
  to: JournalState;
  at: number;
  detail: string | null;
}

export interface ProposalNote {
  id: bigint;
  kind: string;
  verdict: "ok" | "invalid" | "over-limit" | "not-relay";
  detail: string | null;
}

/** Thrown when a compare-and-set transition finds the row in another state: someone else moved it first. */
export class JournalConflict extends Error {
  override readonly name = "JournalConflict";
  constructor(
    readonly id: bigint,
    readonly expected: JournalState,
    readonly actual: JournalState | undefined,
  ) {
    super(`journal: action ${id} is ${actual ?? "absent"}, expected ${expected}`);
  }
}

export interface Journal {
  readonly backend: "sqlite" | "postgres";
  migrate(): Promise<void>;
  /** Records an action the first time it is seen; false when the row exists already. */
  insertSeen(action: NewAction, now: number): Promise<boolean>;
  get(id: bigint): Promise<JournalRow | undefined>;
  /** Takes the next due open job for `owner`, leasing it until now + leaseMs; other relays skip it meanwhile. */
  takeJob(owner: string, now: number, leaseMs: number): Promise<JournalRow | undefined>;
  /** Extends `owner`'s lease on a job it took to now + leaseMs; false when `owner` no longer holds the job. */
  renewJob(id: bigint, owner: string, now: number, leaseMs: number): Promise<boolean>;
  transition(id: bigint, from: JournalState, to: JournalState, patch: RowPatch, now: number, detail?: string): Promise<JournalRow>;
  patch(id: bigint, patch: RowPatch, now: number): Promise<JournalRow>;
  list(filter?: { states?: JournalState[]; limit?: number }): Promise<JournalRow[]>;
  history(id: bigint): Promise<Transition[]>;
  countByState(): Promise<Record<string, number>>;
  countByOutcome(): Promise<{ kind: string; outcome: string; count: number }[]>;
  getCursor(name: string): Promise<string | undefined>;
  setCursor(name: string, value: string, now: number): Promise<void>;
  cursors(): Promise<{ name: string; value: string; updatedAt: number }[]>;
  getValue(key: string): Promise<string | undefined>;
  setValue(key: string, value: string, now: number): Promise<void>;
  /**
   * Sets `key` to `next` only while it holds `expected` (undefined: only while absent), in one statement, so two
   * relays sharing the journal never both move the same background job. True when this call made the change.
   */
  compareAndSetValue(key: string, expected: string | undefined, next: string, now: number): Promise<boolean>;
  /** Every key starting with `prefix`, in key order. */
  listValues(prefix: string): Promise<{ key: string; value: string; updatedAt: number }[]>;
  /** Records an action's on-chain spend once (keyed by action id), on the UTC day given. */
  recordSpend(actionId: bigint, day: string, sats: bigint): Promise<void>;
  spentOn(day: string): Promise<bigint>;
  noteProposal(note: ProposalNote, now: number): Promise<void>;
  proposals(limit: number): Promise<ProposalNote[]>;
  close(): Promise<void>;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
