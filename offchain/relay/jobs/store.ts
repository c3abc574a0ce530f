// The background loops' durable work, kept like the executor's: one record per job in the journal's kv table, each
// state written before the side effect it announces, every change a compare-and-set on the record as last read (so
// two relays sharing a journal never both move one job). A job that sends a Stacks transaction journals the signed
// transaction before broadcasting it; after a crash the same transaction is broadcast again, never a second one.
import type { StacksClient } from "../stacks/client.ts";
import type { ClarityValue } from "@stacks/transactions";
import type { Journal } from "../journal/types.ts";
import type { TxOutcome } from "../ports.ts";

/** A signed transaction a job sent (or was about to send). */
export interface SentTx {
  txid: string;
  rawHex: string;
}

export interface Job {
  state: string;
  /** the transaction of the current state, journaled before broadcast */
  tx?: SentTx | undefined;
}

export interface Stored<T extends Job> {
  id: string;
  job: T;
  /** the record as read: the compare-and-set's expected value */
  raw: string;
}

/** Someone else (another relay, or this one in another loop) moved the job first. */
export class JobMoved extends Error {
  override readonly name = "JobMoved";
}

// bigint survives the JSON round trip as "<digits>n"; no other field of a job looks like that. The tagging is a
// walk of its own, not a JSON.stringify replacer: a replacer sees a bigint only after its toJSON ran, and
// @stacks/clarinet-sdk installs BigInt.prototype.toJSON in any process that loads it.
function tagBigints(value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) return value.map(tagBigints);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tagBigints(v)]));
  }
  return value;
}
const encode = (job: unknown): string => JSON.stringify(tagBigints(job));
const decode = <T>(text: string): T => JSON.parse(text, (_k, v) => (typeof v === "string" && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)) as T;

export class JobStore<T extends Job> {
  constructor(
    private readonly journal: Journal,
    /** e.g. "pledge:"; a job's key is prefix + id */
    readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(id: string): Promise<Stored<T> | undefined> {
    const raw = await this.journal.jobs.get(this.prefix + id);
    return raw === undefined ? undefined : { id, job: decode<T>(raw), raw };
  }

  /** Records a new job; false when one with this id exists. */
  async create(id: string, job: T): Promise<boolean> {
    return this.journal.jobs.compareAndSet(this.prefix + id, undefined, encode(job), this.now());
  }

  /** Replaces the job as read with `next`; throws JobMoved when it changed since. */
  async move(current: Stored<T>, next: T): Promise<Stored<T>> {
    const raw = encode(next);
    if (!(await this.journal.jobs.compareAndSet(this.prefix + current.id, current.raw, raw, this.now()))) {
      throw new JobMoved(`${this.prefix}${current.id} changed under this relay`);
    }
    return { id: current.id, job: next, raw };
  }

  /** Every job, or those whose id starts with `idPrefix`, in id order. */
  async list(idPrefix = ""): Promise<Stored<T>[]> {
    return (await this.journal.jobs.list(this.prefix + idPrefix)).map(({ key, value }) => ({ id: key.slice(this.prefix.length), job: decode<T>(value), raw: value }));
  }
}

/**
 * The transaction step of a job: signs the call, journals it in the job (state unchanged), broadcasts it, and waits
 * until it is final. A job that already holds a transaction (a restart) broadcasts that one again first; if the node
 * refuses it and the API never saw it, it was never mined and the call is signed afresh.
 */
export class TxSender {
  /** txids this process broadcast itself: no need to broadcast them again */
  private readonly sent = new Set<string>();

  constructor(private readonly stacks: Pick<StacksClient, "callJournaled" | "rebroadcast" | "knowsTx" | "waitForTx">) {}

  async run<T extends Job>(
    store: JobStore<T>,
    current: Stored<T>,
    call: { contractId: string; functionName: string; args: ClarityValue[] },
  ): Promise<{ current: Stored<T>; outcome: TxOutcome }> {
    let stored = current;
    if (stored.job.tx && !this.sent.has(stored.job.tx.txid)) {
      const again = await this.stacks.rebroadcast(stored.job.tx.rawHex);
      if (again.status === "refused" && !(await this.stacks.knowsTx(stored.job.tx.txid))) {
        stored = await store.move(stored, { ...stored.job, tx: undefined });
      } else {
        this.sent.add(stored.job.tx.txid);
      }
    }
    if (!stored.job.tx) {
      const txid = await this.stacks.callJournaled(call.contractId, call.functionName, call.args, async (signed) => {
        stored = await store.move(stored, { ...stored.job, tx: signed });
      });
      this.sent.add(txid);
    }
    const outcome = await this.stacks.waitForTx(stored.job.tx!.txid);
    if (outcome.status === "dropped") stored = await store.move(stored, { ...stored.job, tx: undefined });
    return { current: stored, outcome };
  }
}
