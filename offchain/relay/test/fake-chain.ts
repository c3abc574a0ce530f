// The contracts the relay calls, in memory, faithful to what it relies on: execution-queue as the executor drives it
// (claim leases in burn blocks, receipts from the claimant, requeues), and a ledger that applies report-autonomous,
// report-liquidity, set-pledge-address, confirm-contribution and record-revenue-epoch with the contracts' checks
// (budget per period, one record per epoch, shares within 1 unit, one use per anchor) and keeps every transaction
// for the monitors. Payloads as the chain queues them. The daemons' fakes are in fakes.ts; the integration suites
// use the real peers instead.
import { createHash } from "node:crypto";
import type { ClarityValue } from "@stacks/transactions";
import { ERRORS } from "../../clarity/errors.ts";
import { decodeAction, encodeAction, isRelayKind, type RebalancePolicy as PolicyPayload } from "../../actions/index.ts";
import { invalidAction, type RelayAction } from "../actions.ts";
import { invalid } from "../failure.ts";
import type { TxOutcome } from "../stacks/client.ts";
import type { OnChainAction, QueuePort } from "../stacks/queue.ts";
import type { Allocation, ActivePolicyOnChain, ContractView, PledgeOnChain } from "../stacks/reads.ts";
import { CallLog } from "./fakes.ts";

const QUEUE = ERRORS["execution-queue"];
const LEDGER = ERRORS["lv-ledger"];
const hex = (n: number, width = 64): string => n.toString(16).padStart(width, "0");

type Cv = ClarityValue & { value?: unknown };
const big = (cv: Cv): bigint => BigInt(cv.value as string | bigint);
const text = (cv: Cv): string => String(cv.value);

export interface LedgerTx {
  txid: string;
  fn: string;
  args: ClarityValue[];
  outcome: TxOutcome;
}

/** The contracts the monitors call, and the Stacks client they call them through. */
export class FakeLedger implements ContractView {
  readonly log = new CallLog();
  burnHeight = 1000;
  stacksHeight = 5000;
  policy: (ActivePolicyOnChain & { payload: Uint8Array }) | undefined;
  spent = new Map<string, bigint>();
  alloc: Allocation = { infrastructureBps: 1000n, channelBps: 6000n, reserveBps: 3000n };
  lastReport = 0n;
  reports: Record<string, bigint>[] = [];
  pledges = new Map<bigint, PledgeOnChain & { gtMinted: bigint }>();
  anchors = new Set<string>();
  epochs = new Map<bigint, { revenue: bigint; minted: bigint; shares: bigint[]; evidence: string }>();
  autonomous: { policyId: bigint; kind: string; amount: bigint; evidence: string }[] = [];
  readonly txs = new Map<string, LedgerTx>();
  private readonly raws = new Map<string, { fn: string; args: ClarityValue[] }>();
  private counter = 0;
  /** set to make the process "die" after the signed transaction is journaled and before it is broadcast */
  dieBeforeBroadcast = false;

  setPolicy(id: bigint, payload: PolicyPayload): void {
    this.policy = {
      id,
      activatedAt: BigInt(this.burnHeight),
      budgetSats: payload.budgetSats,
      budgetPeriod: payload.budgetPeriod,
      payload: encodeAction({ kind: "rebalance-policy", payload }),
    };
  }

  /** The queue port's part the monitors use. */
  readonly queue = {
    tip: async () => ({ burnHeight: this.burnHeight, stacksHeight: this.stacksHeight }),
    getAction: async (id: bigint): Promise<OnChainAction | undefined> =>
      this.policy && this.policy.id === id
        ? {
            id,
            kind: "rebalance-policy",
            payload: this.policy.payload,
            eta: 0,
            expires: 0,
            status: "executed",
            relay: undefined,
            claimExpires: 0,
            attempts: 0,
          }
        : undefined,
  };

  // ContractView
  async activePolicy() {
    this.log.record("activePolicy");
    return (
      this.policy && {
        id: this.policy.id,
        activatedAt: this.policy.activatedAt,
        budgetSats: this.policy.budgetSats,
        budgetPeriod: this.policy.budgetPeriod,
      }
    );
  }
  async autonomousSpent(policyId: bigint, period: bigint) {
    return this.spent.get(`${policyId}:${period}`) ?? 0n;
  }
  async allocation() {
    return { ...this.alloc };
  }
  async lastLiquidityReport() {
    return this.lastReport;
  }
  async pledge(id: bigint) {
    const p = this.pledges.get(id);
    return p && { pledger: p.pledger, amount: p.amount, tapAddr: p.tapAddr, confirmed: p.confirmed };
  }
  async revenueEpochRecorded(epoch: bigint) {
    return this.epochs.has(epoch);
  }

  addPledge(id: bigint, pledger: string, amount: bigint): void {
    this.pledges.set(id, { pledger, amount, tapAddr: null, confirmed: false, gtMinted: 0n });
  }

  // The Stacks client's part TxSender uses
  async callJournaled(
    contractId: string,
    fn: string,
    args: ClarityValue[],
    before: (signed: { txid: string; rawHex: string }) => Promise<void>,
  ): Promise<string> {
    this.log.record(fn);
    const rawHex = Buffer.from(JSON.stringify({ contractId, fn, n: this.counter++ })).toString("hex");
    const txid = createHash("sha256").update(rawHex).digest("hex");
    this.raws.set(rawHex, { fn, args });
    await before({ txid, rawHex });
    if (this.dieBeforeBroadcast) {
      this.dieBeforeBroadcast = false;
      throw new Error("the process died before broadcasting");
    }
    this.mine(txid, fn, args);
    return txid;
  }
  async rebroadcast(rawHex: string) {
    this.log.record("rebroadcast");
    const txid = createHash("sha256").update(rawHex).digest("hex");
    if (this.txs.has(txid)) return { status: "refused" as const, reason: "BadNonce" };
    const call = this.raws.get(rawHex);
    if (!call) return { status: "refused" as const, reason: "Serialization" };
    this.mine(txid, call.fn, call.args);
    return { status: "accepted" as const };
  }
  async knowsTx(txid: string) {
    return this.txs.has(txid);
  }
  async waitForTx(txid: string): Promise<TxOutcome> {
    return this.txs.get(txid)?.outcome ?? { status: "dropped", reason: "unknown transaction" };
  }

  /** Every mined call of one function. */
  calls(fn: string): LedgerTx[] {
    return [...this.txs.values()].filter((t) => t.fn === fn);
  }

  private mine(txid: string, fn: string, args: ClarityValue[]): void {
    const result = this.apply(fn, args as Cv[]);
    const outcome: TxOutcome =
      "ok" in result
        ? { status: "success", resultRepr: `(ok ${result.ok})`, blockHeight: this.stacksHeight++ }
        : {
            status: "failed",
            resultRepr: `(err u${result.err})`,
            errorCode: result.err,
            blockHeight: this.stacksHeight++,
          };
    this.txs.set(txid, { txid, fn, args, outcome });
  }

  private apply(fn: string, a: Cv[]): { ok: string } | { err: number } {
    switch (fn) {
      case "report-autonomous": {
        const [policyId, kind, amount, evidence] = [big(a[0]!), text(a[1]!), big(a[2]!), text(a[3]!)];
        if (!this.policy || this.policy.id !== policyId) return { err: QUEUE.ERR_NOT_ACTIVE_POLICY };
        const period = (BigInt(this.burnHeight) - this.policy.activatedAt) / this.policy.budgetPeriod;
        const key = `${policyId}:${period}`;
        const spent = (this.spent.get(key) ?? 0n) + amount;
        if (spent > this.policy.budgetSats) return { err: QUEUE.ERR_OVER_BUDGET };
        this.spent.set(key, spent);
        this.autonomous.push({ policyId, kind, amount, evidence });
        return { ok: `u${spent}` };
      }
      case "report-liquidity": {
        const tuple = (a[0] as { value: Record<string, Cv> }).value;
        this.reports.push(Object.fromEntries(Object.entries(tuple).map(([k, v]) => [k, big(v)])));
        this.lastReport = BigInt(this.burnHeight);
        return { ok: `u${this.reports.length}` };
      }
      case "set-pledge-address": {
        const p = this.pledges.get(big(a[0]!));
        if (!p) return { err: LEDGER.ERR_UNKNOWN_PLEDGE };
        if (p.confirmed) return { err: LEDGER.ERR_ALREADY_CONFIRMED };
        p.tapAddr = text(a[1]!);
        return { ok: "true" };
      }
      case "confirm-contribution": {
        const [id, anchor, amount] = [big(a[0]!), text(a[1]!), big(a[2]!)];
        const p = this.pledges.get(id);
        if (!p) return { err: LEDGER.ERR_UNKNOWN_PLEDGE };
        if (p.confirmed) return { err: LEDGER.ERR_ALREADY_CONFIRMED };
        if (!p.tapAddr) return { err: LEDGER.ERR_NO_ADDRESS };
        if (amount > p.amount) return { err: LEDGER.ERR_AMOUNT_EXCEEDS_PLEDGE };
        if (this.anchors.has(anchor)) return { err: LEDGER.ERR_ANCHOR_USED };
        this.anchors.add(anchor);
        Object.assign(p, { confirmed: true, gtMinted: amount });
        return { ok: `u${amount}` };
      }
      case "record-revenue-epoch": {
        const [epoch, revenue, minted, toInfra, toChannels, toReserve] = a.slice(0, 6).map((v) => big(v));
        if (toInfra! + toChannels! + toReserve! !== minted) return { err: LEDGER.ERR_SHARES_SUM };
        const within = (share: bigint, bps: bigint) => {
          const d = share! * 10_000n - minted! * bps;
          return (d < 0n ? -d : d) <= 10_000n;
        };
        if (
          !within(toInfra!, this.alloc.infrastructureBps) ||
          !within(toChannels!, this.alloc.channelBps) ||
          !within(toReserve!, this.alloc.reserveBps)
        ) {
          return { err: LEDGER.ERR_SHARE_MISMATCH };
        }
        if (this.epochs.has(epoch!)) return { err: LEDGER.ERR_EPOCH_RECORDED };
        this.epochs.set(epoch!, {
          revenue: revenue!,
          minted: minted!,
          shares: [toInfra!, toChannels!, toReserve!],
          evidence: text(a[6]!),
        });
        return { ok: "true" };
      }
      default:
        throw new Error(`the fake ledger has no ${fn}`);
    }
  }
}

/** execution-queue as the contract behaves: claim leases in burn blocks, receipts from the claimant, requeues. */
export class FakeQueue implements QueuePort {
  readonly relayAddress = "ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0";
  readonly log = new CallLog();
  burnHeight = 100;
  stacksHeight = 1000;
  claimLease = 6;
  maxAttempts = 3;
  actions = new Map<bigint, OnChainAction & { evidence?: string; failureCode?: number }>();
  private txs = new Map<string, TxOutcome>();
  private counter = 1;

  queueAction(
    id: bigint,
    action: RelayAction,
    payload: Uint8Array,
    window: { eta?: number; expires?: number } = {},
  ): void {
    this.actions.set(id, {
      id,
      kind: action.kind,
      payload,
      eta: window.eta ?? this.burnHeight,
      expires: window.expires ?? this.burnHeight + 1000,
      status: "queued",
      relay: undefined,
      claimExpires: 0,
      attempts: 0,
    });
  }

  private mined(result: { ok: string } | { err: number }): string {
    const id = hex(0x9000 + this.counter++);
    this.txs.set(
      id,
      "ok" in result
        ? { status: "success", resultRepr: `(ok ${result.ok})`, blockHeight: this.stacksHeight++ }
        : {
            status: "failed",
            resultRepr: `(err u${result.err})`,
            errorCode: result.err,
            blockHeight: this.stacksHeight++,
          },
    );
    return id;
  }

  async tip() {
    this.log.record("tip");
    return { burnHeight: this.burnHeight, stacksHeight: this.stacksHeight };
  }
  async getAction(id: bigint) {
    this.log.record("getAction");
    const a = this.actions.get(id);
    if (!a) return undefined;
    const open = a.status === "queued" || a.status === "claimed";
    const lapsed = a.status === "queued" || this.burnHeight >= a.claimExpires;
    return { ...a, status: open && lapsed && this.burnHeight >= a.expires ? ("expired" as const) : a.status };
  }
  async claim(id: bigint): Promise<string> {
    this.log.record("claim");
    const a = this.actions.get(id);
    if (!a) return this.mined({ err: 1502 });
    if (!["queued", "claimed"].includes(a.status)) return this.mined({ err: 1510 });
    if (a.status === "claimed" && this.burnHeight < a.claimExpires) return this.mined({ err: 1506 });
    if (this.burnHeight < a.eta) return this.mined({ err: 1504 });
    if (this.burnHeight >= a.expires) return this.mined({ err: 1505 });
    Object.assign(a, { status: "claimed", relay: this.relayAddress, claimExpires: this.burnHeight + this.claimLease });
    return this.mined({ ok: `u${a.claimExpires}` });
  }
  async reportSuccess(id: bigint, evidence: Uint8Array): Promise<string> {
    this.log.record("reportSuccess");
    const a = this.actions.get(id);
    if (a?.status !== "claimed") return this.mined({ err: 1508 });
    Object.assign(a, { status: "executed", evidence: Buffer.from(evidence).toString("hex") });
    return this.mined({ ok: "true" });
  }
  async reportFailure(id: bigint, code: number, retryable: boolean): Promise<string> {
    this.log.record("reportFailure");
    const a = this.actions.get(id);
    if (a?.status !== "claimed") return this.mined({ err: 1508 });
    const attempts = a.attempts + 1;
    const requeued = retryable && attempts < this.maxAttempts;
    Object.assign(a, { status: requeued ? "queued" : "failed", attempts, failureCode: code });
    return this.mined({ ok: requeued ? "true" : "false" });
  }
  async waitForTx(id: string): Promise<TxOutcome> {
    this.log.record("waitForTx");
    return this.txs.get(id) ?? { status: "dropped", reason: "unknown transaction" };
  }
}

/** A payload as the chain queues it: the action's canonical bytes from the codec, hex. */
export function testPayload(action: RelayAction): string {
  return Buffer.from(encodeAction(action)).toString("hex");
}

/**
 * The relay's decoding without the payload rules, so a unit test can queue an action the contract would refuse
 * (a daemon's refusal is what it tests); what does not decode is failure 400, as in the relay.
 */
export function testDecoder(kind: string, payload: Uint8Array): RelayAction {
  if (!isRelayKind(kind)) throw invalid(`${kind} is not executed by the relay`);
  try {
    return decodeAction(kind as string, payload) as RelayAction;
  } catch (error) {
    throw invalidAction(error);
  }
}
