// The journal: what the relay keeps so that work resumes after a crash, split by role.
//   actions    one job per relay action, keyed by its id (= proposal id), moving through the states below. Each
//              move is a compare-and-set on the current state, checked against TRANSITIONS and written before the
//              side effect it announces, so a crash at any point leaves a row that says what may have happened.
//   cursors    how far each event source has been read (the log watcher's per-contract cursors)
//   jobs       the workers' durable jobs and leases: keyed JSON records, each change a compare-and-set
//   spend      each action's on-chain spend, by UTC day, for the operator's daily budget
//   proposals  the early verdict on each proposal of a relay kind (what `relay status` flags before a vote ends)
// docs/design.md section 4 describes the action states; docs/relay.md how the relay moves through them.
import type { DeskStore } from "./desk-types.ts";

export const JOURNAL_STATES = ["seen", "claimed", "executing", "done", "reported", "closed"] as const;
export type JournalState = (typeof JOURNAL_STATES)[number];
export const TERMINAL_STATES: readonly JournalState[] = ["reported", "closed"];

/**
 * Every legal move of an action job. The happy path is seen -> claimed -> executing -> done -> reported.
 *   claimed -> seen        the claim's lease ran out before acting
 *   claimed -> done        refused before acting (over an operator limit, an invalid payload)
 *   * -> closed            the action ended on-chain without this relay (executed elsewhere, expired, vetoed)
 *   done|reported|closed -> seen   requeued on-chain after a retryable failure, for the next attempt
 */
export const TRANSITIONS: { readonly [S in JournalState]: readonly JournalState[] } = {
  seen: ["claimed", "closed"],
  claimed: ["executing", "done", "seen"],
  executing: ["done", "closed"],
  done: ["reported", "seen", "closed"],
  reported: ["seen"],
  closed: ["seen"],
};

export const isLegalMove = (from: JournalState, to: JournalState): boolean => TRANSITIONS[from].includes(to);

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

/** Thrown when a compare-and-set move finds the row in another state: someone else moved it first. */
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

/** Thrown for a move TRANSITIONS does not list: a bug in the caller, never written. */
export class IllegalTransition extends Error {
  override readonly name = "IllegalTransition";
  constructor(
    readonly id: bigint,
    readonly from: JournalState,
    readonly to: JournalState,
  ) {
    super(`journal: action ${id} cannot move from ${from} to ${to}`);
  }
}

/** The action jobs: the executor's journal. */
export interface ActionJournal {
  /** Records an action the first time it is seen; false when the row exists already. */
  insertSeen(action: NewAction, now: number): Promise<boolean>;
  get(id: bigint): Promise<JournalRow | undefined>;
  list(filter?: { states?: JournalState[]; limit?: number }): Promise<JournalRow[]>;
  history(id: bigint): Promise<Transition[]>;
  countByState(): Promise<Record<string, number>>;
  countByOutcome(): Promise<{ kind: string; outcome: string; count: number }[]>;
  /** The newest action of `kind` reported as executed. */
  lastExecuted(kind: string): Promise<JournalRow | undefined>;
  /** Moves the row from `from` to `to` (a move TRANSITIONS lists) with the patch; JournalConflict if it is not in `from`. */
  move(
    id: bigint,
    from: JournalState,
    to: JournalState,
    patch: RowPatch,
    now: number,
    detail?: string,
  ): Promise<JournalRow>;
  /** from -> closed: the action ended on-chain without this relay. */
  close(id: bigint, from: JournalState, reason: string, now: number, detail?: string): Promise<JournalRow>;
  /** from -> seen for on-chain attempt `attempt`: everything the previous attempt wrote is cleared. */
  requeue(
    id: bigint,
    from: JournalState,
    next: { attempt: number; retryAt: number },
    now: number,
    detail: string,
  ): Promise<JournalRow>;
  /** Changes fields without a move (a txid, a retry time). */
  patch(id: bigint, patch: RowPatch, now: number): Promise<JournalRow>;
  /**
   * Takes the next due open job for `owner`, leasing it until now + leaseMs; other relays skip it meanwhile. `skip`
   * names jobs `owner` already holds (a relay with several actions in flight must not take one twice).
   */
  take(owner: string, now: number, leaseMs: number, skip?: readonly bigint[]): Promise<JournalRow | undefined>;
  /** Extends `owner`'s lease on a job it took to now + leaseMs; false when `owner` no longer holds the job. */
  renew(id: bigint, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /** Hands the job back after a step. */
  release(id: bigint, now: number): Promise<JournalRow>;
}

export interface CursorStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string, now: number): Promise<void>;
  list(): Promise<{ name: string; value: string; updatedAt: number }[]>;
}

/** Keyed records the workers keep their jobs and leases in; every change that matters is a compare-and-set. */
export interface JobTable {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, now: number): Promise<void>;
  /**
   * Sets `key` to `next` only while it holds `expected` (undefined: only while absent), in one statement, so two
   * relays sharing the journal never both move the same job. True when this call made the change.
   */
  compareAndSet(key: string, expected: string | undefined, next: string, now: number): Promise<boolean>;
  /** Every key starting with `prefix`, in key order. */
  list(prefix: string): Promise<{ key: string; value: string; updatedAt: number }[]>;
}

export interface SpendStore {
  /** Records an action's on-chain spend once (keyed by action id), on the UTC day given. */
  record(actionId: bigint, day: string, sats: bigint): Promise<void>;
  spentOn(day: string): Promise<bigint>;
}

export interface ProposalStore {
  note(note: ProposalNote, now: number): Promise<void>;
  list(limit: number): Promise<ProposalNote[]>;
}

export interface Journal {
  readonly backend: "sqlite" | "postgres";
  readonly actions: ActionJournal;
  readonly cursors: CursorStore;
  readonly jobs: JobTable;
  readonly spend: SpendStore;
  readonly proposals: ProposalStore;
  /** the LV desk's quotes, trades, unmatched deposits and trade summaries (desk-types.ts) */
  readonly desk: DeskStore;
  close(): Promise<void>;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
