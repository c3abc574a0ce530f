// In-memory stand-ins for the daemons behind the relay's ports (lnd, loopd and tapd), faithful to the behaviour the
// executor and the monitors rely on: memos and labels kept, policies merged as lnd does, swaps refused over their fee
// cap, tapd spending confirmed coins only, and failures injectable per method. The contracts' stand-ins are in
// fake-chain.ts; integration tests use the real peers instead.
import { conflict, RetryableFailure } from "../failure.ts";
import { appliedFromLive, canonicalPolicySet, mergePolicy } from "../../lightning/requests/policy.ts";
import type { LocalPolicy } from "../../lightning/responses/lnd-channels.ts";
import { outpointString, SWAP_FINAL_STATES } from "../daemons/ports.ts";
import type * as Port from "../daemons/ports.ts";

/** Counts calls per method and fails the next calls of a method on request (first asked, first thrown). */
export class CallLog {
  readonly calls: string[] = [];
  private failures: { method: string; error: () => Error; times: number }[] = [];

  failNext(method: string, error: () => Error, times = 1): void {
    this.failures.push({ method, error, times });
  }
  clearFailures(): void {
    this.failures = [];
  }
  record(method: string): void {
    this.calls.push(method);
    const next = this.failures.find((f) => f.method === method);
    if (!next) return;
    if (--next.times <= 0) this.failures.splice(this.failures.indexOf(next), 1);
    throw next.error();
  }
  count(method: string): number {
    return this.calls.filter((c) => c === method).length;
  }
}

/**
 * A fake daemon, bound to its log once: every call of one of its async methods (the port's; the controls tests use
 * are sync) is recorded under the method's name before the fake answers, and fails instead when the test asked so.
 */
abstract class FakeDaemon {
  readonly log = new CallLog();

  constructor() {
    // Methods run with the fake (through this proxy) as `this`, whatever wraps it further, such as the executor's
    // instrument(), so the fake's own calls to its helpers stay plain calls.
    const fake: this = new Proxy(this, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, fake);
        if (typeof value !== "function" || value.constructor.name !== "AsyncFunction") return value;
        return async (...args: unknown[]) => {
          target.log.record(String(key));
          return value.apply(fake, args);
        };
      },
    });
    // biome-ignore lint/correctness/noConstructorReturn: the fake is used through the proxy that records its calls
    return fake;
  }
}

export const unreachable = (): Error => new RetryableFailure("lnd unreachable: connect ECONNREFUSED");

const hex = (n: number, width = 64): string => n.toString(16).padStart(width, "0");
const sum = (amounts: { amount: bigint }[]): bigint => amounts.reduce((total, t) => total + t.amount, 0n);
/** lnd's policy on a channel that has just opened (its max HTLC is 99% of the capacity, in msat). */
const NEW_POLICY = { baseFeeMsat: 1000n, feeRatePpm: 1, cltvDelta: 80, minHtlcMsat: 1000n, isDisabled: false };
const NO_INBOUND_FEE = { inboundBaseFeeMsat: 0, inboundFeeRatePpm: 0 };

/** A channel as the fake lnd keeps it: every state lnd lists, with the balances its liquidity scan reports. */
export interface FakeChannel extends Port.ChannelInfo {
  localSats: bigint;
  remoteSats: bigint;
}

export class FakeLnd extends FakeDaemon implements Port.LndPort {
  /** every channel in every state, as lnd's lists together show them */
  channels: FakeChannel[] = [];
  policies: LocalPolicy[] = [];
  towers: Port.Tower[] = [];
  peers = new Set<string>();
  /** the on-chain wallet's confirmed balance */
  chainSats = 0n;
  forwardList: Port.ForwardRecord[] = [];
  private counter = 1;
  private addresses = 0;
  /** lnd's per-channel refusal of a policy update (its failed_updates): a reason, or undefined to apply it. */
  refusePolicy: (channel: Port.Outpoint, policy: Port.DesiredPolicy) => string | undefined = () => undefined;
  /** When true, openChannel creates the channel and then throws, like a timeout after lnd acted. */
  loseNextOpenAnswer = false;
  lastCloseRequest: Parameters<Port.LndPort["closeChannel"]>[0] | undefined;

  private add(c: Omit<FakeChannel, "capacitySats" | "isOpener" | "closingTxid">): FakeChannel {
    const channel = { ...c, capacitySats: c.localSats + c.remoteSats, isOpener: true, closingTxid: undefined };
    this.channels.push(channel);
    if (channel.state === "open") this.addPolicy(channel);
    return channel;
  }
  private addPolicy({ outpoint: channel, capacitySats }: FakeChannel): void {
    const id = `${this.counter}x1x0`;
    this.policies.push({ ...NEW_POLICY, ...NO_INBOUND_FEE, channel, id, maxHtlcMsat: capacitySats * 990n });
  }

  /** An open channel this node opened long ago, all of it on our side. */
  addChannel(pubkey: string, capacitySats: bigint, memo?: string): FakeChannel {
    return this.channel(this.counter++, pubkey, capacitySats, 0n, true, memo);
  }

  /** Open channel number `n` with `localSats` on our side and `remoteSats` on the peer's. */
  channel(n: number, pubkey: string, localSats: bigint, remoteSats: bigint, active = true, memo?: string): FakeChannel {
    const outpoint = { txid: hex(n), vout: 0 };
    return this.add({ state: "open", outpoint, chanId: `${700 + n}x1x0`, pubkey, localSats, remoteSats, active, memo });
  }

  /** Confirms every opening channel: it becomes open, with lnd's default policy. */
  mine(): void {
    for (const channel of this.channels.filter((c) => c.state === "opening")) {
      Object.assign(channel, { state: "open", chanId: `${200 + this.counter++}x1x1`, active: true });
      this.addPolicy(channel);
    }
  }

  private openPolicies(): LocalPolicy[] {
    const open = new Set(this.channels.filter((c) => c.state === "open").map((c) => outpointString(c.outpoint)));
    return this.policies.filter((p) => open.has(outpointString(p.channel)));
  }

  async connectPeer(request: { pubkey: string; host: string }): Promise<void> {
    this.peers.add(request.pubkey);
  }
  async openChannel({ pubkey, localSats, pushSats, memo }: Parameters<Port.LndPort["openChannel"]>[0]) {
    if (!this.peers.has(pubkey)) throw conflict(`not connected to ${pubkey}`);
    const outpoint = { txid: hex(this.counter++), vout: 1 };
    const opening = { state: "opening", outpoint, chanId: null, pubkey, active: false, memo } as const;
    this.add({ ...opening, localSats: localSats - pushSats, remoteSats: pushSats });
    if (this.loseNextOpenAnswer) {
      this.loseNextOpenAnswer = false;
      throw new RetryableFailure("lnd.openChannel timed out");
    }
    return outpoint;
  }
  // The PSBT funding flow needs a real lnd (offchain/regtest/harness/vault.regtest.test.ts): the fake has none.
  async openChannelForPsbt(): ReturnType<Port.LndPort["openChannelForPsbt"]> {
    throw new Error("the fake lnd has no PSBT funding flow");
  }
  async fundPendingChannel(): Promise<void> {
    throw new Error("the fake lnd has no PSBT funding flow");
  }
  async cancelPendingChannel(): Promise<void> {
    throw new Error("the fake lnd has no PSBT funding flow");
  }
  async listChannels(): Promise<Port.ChannelInfo[]> {
    return this.channels.map(({ localSats: _local, remoteSats: _remote, ...c }) => ({ ...c }));
  }
  async closeChannel(request: Parameters<Port.LndPort["closeChannel"]>[0]): Promise<{ closingTxid: string }> {
    const key = outpointString(request.outpoint);
    const channel = this.channels.find((c) => outpointString(c.outpoint) === key && c.state === "open");
    if (!channel) throw conflict(`channel ${key} not found`);
    Object.assign(channel, { state: "closing", closingTxid: hex(this.counter++), active: false });
    this.lastCloseRequest = request;
    return { closingTxid: channel.closingTxid! };
  }
  async applyPolicy({ target, policy }: Parameters<Port.LndPort["applyPolicy"]>[0]): Promise<Port.PolicyResult> {
    const key = target === "all" ? undefined : outpointString(target);
    const targets = this.openPolicies().filter((p) => key === undefined || outpointString(p.channel) === key);
    if (key !== undefined && targets.length === 0) throw conflict(`no open channel with funding outpoint ${key}`);
    const result: Port.PolicyResult = { applied: [], replaced: [], failures: [], canonical: "" };
    for (const current of targets) {
      const refusal = this.refusePolicy(current.channel, policy);
      if (refusal) {
        result.failures.push({ channel: current.channel, reason: refusal });
        continue;
      }
      const merged = mergePolicy(current, policy);
      result.replaced.push(appliedFromLive(current));
      this.policies[this.policies.indexOf(current)] = { ...current, ...merged };
      result.applied.push(merged);
    }
    return { ...result, canonical: canonicalPolicySet(result.applied) };
  }
  async channelPolicies(): Promise<Port.ChannelPolicy[]> {
    return this.openPolicies().map(({ id: _id, minHtlcMsat: _min, maxHtlcMsat: _max, isDisabled: _off, ...p }) => p);
  }
  async listTowers(): Promise<Port.Tower[]> {
    return this.towers.map((t) => ({ ...t, addresses: [...t.addresses] }));
  }
  async addTower({ pubkey, host }: { pubkey: string; host: string }): Promise<void> {
    const tower = this.towers.find((t) => t.pubkey === pubkey);
    if (tower) tower.addresses.push(host);
    else this.towers.push({ pubkey, addresses: [host], active: true });
  }
  async removeTower(pubkey: string): Promise<void> {
    this.towers = this.towers.filter((t) => t.pubkey !== pubkey);
  }
  async scanChannels(): Promise<Port.ScannedChannel[]> {
    const open = this.channels.filter((c) => c.state === "open" && c.chanId);
    return open.map(({ chanId, outpoint, pubkey, localSats, remoteSats, active }) => {
      return { chanId: chanId!, outpoint: { ...outpoint }, pubkey, localSats, remoteSats, active };
    });
  }
  async chainBalanceSats(): Promise<bigint> {
    return this.chainSats;
  }
  /** As lnd's ForwardingHistory: whole seconds (the client rounds each Date), both ends inclusive. */
  async forwards(after: Date, before: Date): Promise<Port.ForwardRecord[]> {
    const second = (d: Date) => Math.round(d.getTime() / 1000) * 1000;
    return this.forwardList.filter((f) => f.at.getTime() >= second(after) && f.at.getTime() <= second(before));
  }
  async newAddress(): Promise<string> {
    return `bcrt1q${hex(++this.addresses, 38)}`;
  }
}

/** loopd: labelled swaps, its terms and quotes, and a refusal when a quote is over the swap's fee cap. */
export class FakeLoop extends FakeDaemon implements Port.LoopPort {
  swaps: (Port.Swap & { request: unknown })[] = [];
  /** every swap request, in order */
  requests: unknown[] = [];
  /** total fee quoted for a swap of this amount */
  feeFor = (amount: bigint): bigint => amount / 1000n;
  /** when true, the next swap starts and then the call throws, like a timeout after loopd acted */
  loseNextAnswer = false;
  private counter = 0;

  private start(type: "out" | "in", request: { amountSats: bigint; label: string; maxTotalFeeSats: bigint }) {
    const { amountSats, label, maxTotalFeeSats } = request;
    this.requests.push(request);
    if (this.feeFor(amountSats) > maxTotalFeeSats)
      throw conflict(`quoted swap and sweep fees exceed the cap of ${maxTotalFeeSats} sat`);
    const swapHash = hex(0xa000 + ++this.counter);
    this.swaps.push({ swapHash, label, type, state: "INITIATED", amountSats, request });
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new Error("loopd timed out");
    }
    return { swapHash };
  }
  async loopOut(request: Parameters<Port.LoopPort["loopOut"]>[0]): Promise<{ swapHash: string }> {
    return this.start("out", request);
  }
  async loopIn(request: Parameters<Port.LoopPort["loopIn"]>[0]): Promise<{ swapHash: string }> {
    return this.start("in", request);
  }
  async listSwaps(): Promise<Port.Swap[]> {
    return this.swaps.map(({ request: _request, ...s }) => ({ ...s }));
  }
  async terms(): Promise<Port.SwapTerms> {
    return { minSats: 250_000n, maxSats: 5_000_000n };
  }
  async quoteFeeSats(_type: "out" | "in", amount: bigint): Promise<bigint> {
    return this.feeFor(amount);
  }
  /** Ends every swap in flight. */
  settleAll(state = "SUCCESS"): void {
    for (const swap of this.swaps) if (!SWAP_FINAL_STATES.includes(swap.state)) swap.state = state;
  }
}

/** The LV asset id the executor's unit tests configure (lv.asset_id). */
export const TEST_LV_ASSET = "ab".repeat(32);
const TEST_LV = { groupKey: undefined, assetId: TEST_LV_ASSET };

interface Tranche extends Port.AssetView {
  holder: FakeTapd;
}
const view = ({ holder: _holder, ...asset }: Tranche): Port.AssetView => ({ ...asset });
const isLv = (t: Tranche, lv: Port.LvAsset) => (lv.groupKey ? t.groupKey === lv.groupKey : t.assetId === lv.assetId);

/** The tapd universe the fake nodes share: tranches, addresses and receipts. */
export class FakeUniverse {
  tranches: Tranche[] = [];
  addresses = new Map<string, Port.LvAsset & { owner: FakeTapd; amount: bigint }>();
  height = 100;
  counter = 0;
}

/** One tapd node: mints grouped tranches, moves LV to the other nodes of its universe, spends confirmed coins only. */
export class FakeTapd extends FakeDaemon implements Port.TapdPort {
  transfers: Port.AssetTransfer[] = [];
  private readonly receiptList: Port.ReceiptView[] = [];
  /** when true, the next mint happens and then throws, like a timeout after tapd acted */
  loseNextMint = false;

  constructor(
    readonly name: string,
    private readonly universe: FakeUniverse = new FakeUniverse(),
  ) {
    super();
  }

  private holdings(lv: Port.LvAsset): Tranche[] {
    return this.universe.tranches.filter((t) => t.holder === this && t.amount > 0n && isLv(t, lv));
  }
  /** A tranche this node holds, its anchor a new transaction's first output. */
  private tranche(asset: Omit<Tranche, "holder" | "anchor">, txid: number): Tranche {
    const tranche = { ...asset, anchor: { txid: hex(txid), vout: 0 }, holder: this };
    this.universe.tranches.push(tranche);
    return tranche;
  }

  /** What this node holds of the test LV asset; setting it replaces that with one confirmed tranche. */
  get balance(): bigint {
    return sum(this.holdings(TEST_LV));
  }
  set balance(amount: bigint) {
    for (const t of this.holdings(TEST_LV)) t.amount = 0n;
    const confirmed = { anchorBlockHeight: this.universe.height, name: "LV", groupKey: null };
    this.tranche({ ...confirmed, assetId: TEST_LV_ASSET, amount }, 0xf000 + ++this.universe.counter);
  }

  async mint({ name, amount, groupKey }: Parameters<Port.TapdPort["mint"]>[0]): Promise<Port.AssetView> {
    const n = ++this.universe.counter;
    const group = groupKey ?? `02${hex(0xc000 + n)}`;
    const unconfirmed = { assetId: hex(0xb000 + n), name, amount, groupKey: group, anchorBlockHeight: 0 };
    const tranche = this.tranche(unconfirmed, 0xd000 + n);
    if (this.loseNextMint) {
      this.loseNextMint = false;
      throw new Error("tapd timed out");
    }
    return view(tranche);
  }
  /** Confirms every unconfirmed mint and change output (a block). */
  confirmMints(): void {
    for (const t of this.universe.tranches) if (t.anchorBlockHeight === 0) t.anchorBlockHeight = ++this.universe.height;
  }
  async assets(): Promise<Port.AssetView[]> {
    return this.universe.tranches.filter((t) => t.holder === this && t.amount > 0n).map(view);
  }
  async lvBalance(lv: Port.LvAsset): Promise<bigint> {
    return sum(this.holdings(lv));
  }
  async newLvAddress(lv: Port.LvAsset, amount: bigint): Promise<string> {
    const address = `taprt1${this.name}${++this.universe.counter}`;
    this.universe.addresses.set(address, { ...lv, owner: this, amount });
    return address;
  }
  async send({ address, label }: { address: string; label: string }): Promise<{ anchorTxid: string }> {
    const target = this.universe.addresses.get(address);
    if (!target) throw conflict("unknown address");
    const { owner, amount } = target;
    const source = this.universe.tranches.find(
      (t) => t.holder === this && t.anchorBlockHeight > 0 && isLv(t, target) && t.amount >= amount,
    );
    if (!source) throw conflict("failed to find coin(s) that satisfy given constraints");
    const change = source.amount - amount;
    source.amount = 0n;
    const anchor = { txid: hex(0xe000 + ++this.universe.counter), vout: 0 };
    this.universe.tranches.push({ ...source, amount, holder: owner, anchor });
    // The change is spendable once the anchor confirms (a block).
    if (change > 0n)
      this.universe.tranches.push({ ...source, amount: change, anchor: { ...anchor, vout: 1 }, anchorBlockHeight: 0 });
    const height = this.universe.height;
    owner.receiptList.push({ address, status: "completed", anchor: { ...anchor }, amount, confirmationHeight: height });
    this.transfers.push({ label, anchorTxid: anchor.txid, confirmed: false });
    return { anchorTxid: anchor.txid };
  }
  async listTransfers(): Promise<Port.AssetTransfer[]> {
    // confirmed once the block that confirms its change has been mined
    const pending = (txid: string) =>
      this.universe.tranches.some((c) => c.anchor.txid === txid && c.anchorBlockHeight === 0);
    return this.transfers.map((t) => ({ ...t, confirmed: !pending(t.anchorTxid) }));
  }
  async receipts(address: string): Promise<Port.ReceiptView[]> {
    return this.receiptList.filter((r) => r.address === address);
  }
  async blockHeight(): Promise<number> {
    return this.universe.height;
  }
}
