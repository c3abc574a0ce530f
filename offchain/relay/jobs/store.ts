// The workers' durable jobs: one JSON record per job in the journal's job table, each state written before the side
// effect it announces, every change a compare-and-set on the record as last read (so two relays sharing a journal
// never both move one job).
import type { JobTable } from "../journal/types.ts";

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

/** Someone else (another relay, or this one in another worker) moved the job first. */
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
const decode = <T>(text: string): T =>
  JSON.parse(text, (_k, v) => (typeof v === "string" && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)) as T;

export class JobStore<T extends Job> {
  constructor(
    private readonly table: JobTable,
    /** e.g. "pledge:"; a job's key is prefix + id */
    readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(id: string): Promise<Stored<T> | undefined> {
    const raw = await this.table.get(this.prefix + id);
    return raw === undefined ? undefined : { id, job: decode<T>(raw), raw };
  }

  /** Records a new job; false when one with this id exists. */
  async create(id: string, job: T): Promise<boolean> {
    return this.table.compareAndSet(this.prefix + id, undefined, encode(job), this.now());
  }

  /** Replaces the job as read with `next`; throws JobMoved when it changed since. */
  async move(current: Stored<T>, next: T): Promise<Stored<T>> {
    const raw = encode(next);
    if (!(await this.table.compareAndSet(this.prefix + current.id, current.raw, raw, this.now()))) {
      throw new JobMoved(`${this.prefix}${current.id} changed under this relay`);
    }
    return { id: current.id, job: next, raw };
  }

  /** Every job, or those whose id starts with `idPrefix`, in id order. */
  async list(idPrefix = ""): Promise<Stored<T>[]> {
    return (await this.table.list(this.prefix + idPrefix)).map(({ key, value }) => ({
      id: key.slice(this.prefix.length),
      job: decode<T>(value),
      raw: value,
    }));
  }
}
