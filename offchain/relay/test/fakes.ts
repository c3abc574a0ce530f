// In-memory stand-ins for the executor's collaborators (the daemons and the execution-queue contract), faithful to
// the behaviour the executor relies on: memos and labels kept, leases and attempts counted as the contract does, and
// failures injectable per method. Integration tests use the real peers instead.
import { decodeAction, encodeAction, isRelayKind } from "../../actions/index.ts";
import { invalidAction, type RelayAction } from "../actions.ts";
import { conflict, invalid, RetryableFailure } from "../failure.ts";
import { appliedFromLive, mergePolicy, type AppliedPolicy, type DesiredPolicy } from "../../lightning/requests/policy.ts";
import type { LocalPolicy } from "../../lightning/responses/lnd-channels.ts";
import type {
  AssetTransfer,
  ChannelInfo,
  LndPort,
  LoopPort,
  OnChainAction,
  Outpoint,
  PolicyResult,
  QueuePort,
  Swap,
  TapdPort,
  Tower,
  TxOutcome,
} from "../ports.ts";
import { outpointString } from "../ports.ts";

/** Counts calls per method and fails the next calls of a method on request. */
export class CallLog {
  readonly calls: string[] = [];
  private readonly failures = new Map<string, { error: () => Error; times: number }[]>();

  failNext(method: string, error: () => Error, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), { error, times }]);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  record(method: string): void {
    this.calls.push(method);
    const queue = this.failures.get(method);
    const next = queue?.[0];
    if (next) {
      next.times--;
      if (next.times <= 0) queue!.shift();
      throw next.error();
    }
  }

  count(method: string): number {
    return this.calls.filter((c) => c === method).length;
  }
}

/** A daemon outpoint in a payload's form (vout a Clarity uint). */
export const payloadOutpoint = (outpoint: Outpoint): { txid: string; vout: bigint } => ({ txid: outpoint.txid, vout: BigInt(outpoint.vout) });

export const unreachable = (): Error => new RetryableFailure("lnd unreachable: connect ECONNREFUSED");
const txid = (n: number): string => n.toString(16).padStart(64, "0");

export class FakeLnd implements LndPort {
  readonly log = new CallLog();
  /** every channel in every state, as lnd's lists together show them */
  channels: ChannelInfo[] = [];
  policies: LocalPolicy[] = [];
  towers: Tower[] = [];
  peers = new Set<string>();
  private counter = 1;
  /** lnd's per-channel refusal of a policy update (its failed_updates): a reason, or undefined to apply it. */
  refusePolicy: (channel: Outpoint, policy: DesiredPolicy) => string | undefined = () => undefined;
  /** When true, openChannel creates the channel and then throws, like a timeout after lnd acted. */
  loseNextOpenAnswer = false;
  lastCloseRequest: { outpoint: Outpoint; force: boolean; maxFeeRate: bigint } | undefined;

  private policyFor(outpoint: Outpoint, capacitySats: bigint): LocalPolicy {
    return { channel: outpoint, id: `${this.counter}x1x0`, baseFeeMsat: 1000n, feeRatePpm: 1, cltvDelta: 80, minHtlcMsat: 1000n, maxHtlcMsat: capacitySats * 990n, inboundBaseFeeMsat: 0, inboundFeeRatePpm: 0, isDisabled: false };
  }

  /** An open channel, as if opened long ago. */
  addChannel(pubkey: string, capacitySats: bigint, memo?: string): ChannelInfo {
    const outpoint = { txid: txid(this.counter++), vout: 0 };
    const channel: ChannelInfo = { state: "open", outpoint, chanId: `${100 + this.counter}x1x0`, pubkey, capacitySats, active: true, memo, closingTxid: undefined };
    this.channels.push(channel);
    this.policies.push(this.policyFor(outpoint, capacitySats));
    return channel;
  }

  /** Confirms every opening channel: it becomes open, with lnd's default policy. */
  mine(): void {
    for (const channel of this.channels.filter((c) => c.state === "opening")) {
      Object.assign(channel, { state: "open", chanId: `${200 + this.counter++}x1x1`, active: true });
      this.policies.push(this.policyFor(channel.outpoint, channel.capacitySats));
    }
  }

  async connectPeer(request: { pubkey: string; host: string }): Promise<void> {
    this.log.record("connectPeer");
    this.peers.add(request.pubkey);
  }
  async openChannel(request: Parameters<LndPort["openChannel"]>[0]): Promise<Outpoint> {
    this.log.record("openChannel");
    if (!this.peers.has(request.pubkey)) throw conflict(`not connected to ${request.pubkey}`);
    const outpoint = { txid: txid(this.counter++), vout: 1 };
    this.channels.push({ state: "opening", outpoint, chanId: null, pubkey: request.pubkey, capacitySats: request.localSats, active: false, memo: request.memo, closingTxid: undefined });
    if (this.loseNextOpenAnswer) {
      this.loseNextOpenAnswer = false;
      throw new RetryableFailure("lnd.openChannel timed out");
    }
    return outpoint;
  }
  async listChannels(): Promise<ChannelInfo[]> {
    this.log.record("listChannels");
    return this.channels.map((c) => ({ ...c }));
  }
  async closeChannel(request: { outpoint: Outpoint; force: boolean; maxFeeRate: bigint }): Promise<{ closingTxid: string }> {
    this.log.record("closeChannel");
    const channel = this.channels.find((c) => outpointString(c.outpoint) === outpointString(request.outpoint) && c.state === "open");
    if (!channel) throw conflict(`channel ${outpointString(request.outpoint)} not found`);
    Object.assign(channel, { state: "closing", closingTxid: txid(this.counter++), active: false });
    this.lastCloseRequest = request;
    return { closingTxid: channel.closingTxid! };
  }
  async applyPolicy(request: Parameters<LndPort["applyPolicy"]>[0]): Promise<PolicyResult> {
    this.log.record("applyPolicy");
    const open = this.channels.filter((c) => c.state === "open").map((c) => outpointString(c.outpoint));
    const targets = this.policies.filter((p) => open.includes(outpointString(p.channel)) && (request.target === "all" || outpointString(p.channel) === outpointString(request.target)));
    if (request.target !== "all" && targets.length === 0) throw conflict(`no open channel with funding outpoint ${outpointString(request.target)}`);
    const applied: AppliedPolicy[] = [];
    const replaced: AppliedPolicy[] = [];
    const failures: PolicyResult["failures"] = [];
    for (const current of targets) {
      const refusal = this.refusePolicy(current.channel, request.policy);
      if (refusal) {
        failures.push({ channel: current.channel, reason: refusal });
        continue;
      }
      const policy = mergePolicy(current, request.policy);
      const index = this.policies.indexOf(current);
      replaced.push(appliedFromLive(current));
      this.policies[index] = { ...current, ...policy };
      applied.push(policy);
    }
    return { applied, replaced, failures };
  }
  async listTowers(): Promise<Tower[]> {
    this.log.record("listTowers");
    return this.towers.map((t) => ({ ...t, addresses: [...t.addresses] }));
  }
  async addTower(request: { pubkey: string; host: string }): Promise<void> {
    this.log.record("addTower");
    const tower = this.towers.find((t) => t.pubkey === request.pubkey);
    if (tower) tower.addresses.push(request.host);
    else this.towers.push({ pubkey: request.pubkey, addresses: [request.host], active: true });
  }
  async removeTower(pubkey: string): Promise<void> {
    this.log.record("removeTower");
    this.towers = this.towers.filter((t) => t.pubkey !== pubkey);
  }
}

export class FakeLoop implements LoopPort {
  readonly log = new CallLog();
  swaps: Swap[] = [];
  requests: unknown[] = [];
  private counter = 1;
  async loopOut(request: Parameters<LoopPort["loopOut"]>[0]): Promise<{ swapHash: string }> {
    this.log.record("loopOut");
    this.requests.push(request);
    const swapHash = txid(0x5000 + this.counter++);
    this.swaps.push({ swapHash, label: request.label, type: "out", state: "INITIATED" });
    return { swapHash };
  }
  async loopIn(request: Parameters<LoopPort["loopIn"]>[0]): Promise<{ swapHash: string }> {
    this.log.record("loopIn");
    this.requests.push(request);
    const swapHash = txid(0x6000 + this.counter++);
    this.swaps.push({ swapHash, label: request.label, type: "in", state: "INITIATED" });
    return { swapHash };
  }
  async listSwaps(): Promise<Swap[]> {
    this.log.record("listSwaps");
    return this.swaps.map((s) => ({ ...s }));
  }
}

export class FakeTapd implements TapdPort {
  readonly log = new CallLog();
  transfers: AssetTransfer[] = [];
  balance = 0n;
  private counter = 1;
  constructor(private readonly name: string) {}
  async newAddress(request: { assetId: string; amount: bigint }): Promise<string> {
    this.log.record("newAddress");
    return `taprt1${this.name}${request.assetId.slice(0, 8)}${request.amount}`;
  }
  async send(request: { address: string; label: string }): Promise<{ anchorTxid: string }> {
    this.log.record("send");
    const amount = BigInt(/(\d+)$/.exec(request.address)![1]!);
    if (amount > this.balance) throw conflict(`insufficient balance: ${this.balance} < ${amount}`);
    this.balance -= amount;
    const anchorTxid = txid(0x7000 + this.counter++);
    this.transfers.push({ label: request.label, anchorTxid, confirmed: true });
    return { anchorTxid };
  }
  async listTransfers(): Promise<AssetTransfer[]> {
    this.log.record("listTransfers");
    return this.transfers.map((t) => ({ ...t }));
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

  queueAction(id: bigint, action: RelayAction, payload: Uint8Array, window: { eta?: number; expires?: number } = {}): void {
    this.actions.set(id, { id, kind: action.kind, payload, eta: window.eta ?? this.burnHeight, expires: window.expires ?? this.burnHeight + 1000, status: "queued", relay: undefined, claimExpires: 0, attempts: 0 });
  }

  private mined(result: { ok: string } | { err: number }): string {
    const id = txid(0x9000 + this.counter++);
    this.txs.set(
      id,
      "ok" in result
        ? { status: "success", resultRepr: `(ok ${result.ok})`, blockHeight: this.stacksHeight++ }
        : { status: "failed", resultRepr: `(err u${result.err})`, errorCode: result.err, blockHeight: this.stacksHeight++ },
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
    if (!a || a.status !== "claimed") return this.mined({ err: 1508 });
    Object.assign(a, { status: "executed", evidence: Buffer.from(evidence).toString("hex") });
    return this.mined({ ok: "true" });
  }
  async reportFailure(id: bigint, code: number, retryable: boolean): Promise<string> {
    this.log.record("reportFailure");
    const a = this.actions.get(id);
    if (!a || a.status !== "claimed") return this.mined({ err: 1508 });
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
