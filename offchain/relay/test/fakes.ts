// In-memory stand-ins for the daemons behind the relay's ports (lnd, loopd and tapd), faithful to the behaviour the
// executor and the monitors rely on: memos and labels kept, policies merged as lnd does, swaps refused over their fee
// cap, tapd spending confirmed coins only, and failures injectable per method. The contracts' stand-ins are in
// fake-chain.ts; integration tests use the real peers instead.
import { conflict, RetryableFailure } from "../failure.ts";
import {
  appliedFromLive,
  canonicalPolicySet,
  mergePolicy,
  type AppliedPolicy,
  type DesiredPolicy,
} from "../../lightning/requests/policy.ts";
import type { LocalPolicy } from "../../lightning/responses/lnd-channels.ts";
import {
  outpointString,
  SWAP_FINAL_STATES,
  type AssetTransfer,
  type AssetView,
  type ChannelInfo,
  type ChannelPolicy,
  type ForwardRecord,
  type LndPort,
  type LoopPort,
  type LvAsset,
  type Outpoint,
  type PolicyResult,
  type ReceiptView,
  type ScannedChannel,
  type Swap,
  type SwapTerms,
  type TapdPort,
  type Tower,
} from "../daemons/ports.ts";

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

export const unreachable = (): Error => new RetryableFailure("lnd unreachable: connect ECONNREFUSED");

const hex = (n: number, width = 64): string => n.toString(16).padStart(width, "0");

/** A channel as the fake lnd keeps it: every state lnd lists, with the balances its liquidity scan reports. */
export interface FakeChannel extends ChannelInfo {
  localSats: bigint;
  remoteSats: bigint;
}

export class FakeLnd implements LndPort {
  readonly log = new CallLog();
  /** every channel in every state, as lnd's lists together show them */
  channels: FakeChannel[] = [];
  policies: LocalPolicy[] = [];
  towers: Tower[] = [];
  peers = new Set<string>();
  /** the on-chain wallet's confirmed balance */
  chainSats = 0n;
  forwardList: ForwardRecord[] = [];
  private counter = 1;
  private addresses = 0;
  /** lnd's per-channel refusal of a policy update (its failed_updates): a reason, or undefined to apply it. */
  refusePolicy: (channel: Outpoint, policy: DesiredPolicy) => string | undefined = () => undefined;
  /** When true, openChannel creates the channel and then throws, like a timeout after lnd acted. */
  loseNextOpenAnswer = false;
  lastCloseRequest: { outpoint: Outpoint; force: boolean; maxFeeRate: bigint } | undefined;

  private policyFor(outpoint: Outpoint, capacitySats: bigint): LocalPolicy {
    return {
      channel: outpoint,
      id: `${this.counter}x1x0`,
      baseFeeMsat: 1000n,
      feeRatePpm: 1,
      cltvDelta: 80,
      minHtlcMsat: 1000n,
      maxHtlcMsat: capacitySats * 990n,
      inboundBaseFeeMsat: 0,
      inboundFeeRatePpm: 0,
      isDisabled: false,
    };
  }

  /** An open channel this node opened long ago, all of it on our side. */
  addChannel(pubkey: string, capacitySats: bigint, memo?: string): FakeChannel {
    const outpoint = { txid: hex(this.counter++), vout: 0 };
    const channel: FakeChannel = {
      state: "open",
      outpoint,
      chanId: `${100 + this.counter}x1x0`,
      pubkey,
      capacitySats,
      active: true,
      isOpener: true,
      memo,
      closingTxid: undefined,
      localSats: capacitySats,
      remoteSats: 0n,
    };
    this.channels.push(channel);
    this.policies.push(this.policyFor(outpoint, capacitySats));
    return channel;
  }

  /** Open channel number `n` with `localSats` on our side and `remoteSats` on the peer's. */
  channel(n: number, pubkey: string, localSats: bigint, remoteSats: bigint, active = true): FakeChannel {
    const outpoint = { txid: hex(n), vout: 0 };
    const channel: FakeChannel = {
      state: "open",
      outpoint,
      chanId: `${700 + n}x1x0`,
      pubkey,
      capacitySats: localSats + remoteSats,
      active,
      isOpener: true,
      memo: undefined,
      closingTxid: undefined,
      localSats,
      remoteSats,
    };
    this.channels.push(channel);
    this.policies.push(this.policyFor(outpoint, localSats + remoteSats));
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
    const outpoint = { txid: hex(this.counter++), vout: 1 };
    this.channels.push({
      state: "opening",
      outpoint,
      chanId: null,
      pubkey: request.pubkey,
      capacitySats: request.localSats,
      active: false,
      isOpener: true,
      memo: request.memo,
      closingTxid: undefined,
      localSats: request.localSats - request.pushSats,
      remoteSats: request.pushSats,
    });
    if (this.loseNextOpenAnswer) {
      this.loseNextOpenAnswer = false;
      throw new RetryableFailure("lnd.openChannel timed out");
    }
    return outpoint;
  }
  async listChannels(): Promise<ChannelInfo[]> {
    this.log.record("listChannels");
    return this.channels.map(({ localSats: _local, remoteSats: _remote, ...c }) => ({ ...c }));
  }
  async closeChannel(request: {
    outpoint: Outpoint;
    force: boolean;
    maxFeeRate: bigint;
  }): Promise<{ closingTxid: string }> {
    this.log.record("closeChannel");
    const channel = this.channels.find(
      (c) => outpointString(c.outpoint) === outpointString(request.outpoint) && c.state === "open",
    );
    if (!channel) throw conflict(`channel ${outpointString(request.outpoint)} not found`);
    Object.assign(channel, { state: "closing", closingTxid: hex(this.counter++), active: false });
    this.lastCloseRequest = request;
    return { closingTxid: channel.closingTxid! };
  }
  async applyPolicy(request: Parameters<LndPort["applyPolicy"]>[0]): Promise<PolicyResult> {
    this.log.record("applyPolicy");
    const open = this.channels.filter((c) => c.state === "open").map((c) => outpointString(c.outpoint));
    const targets = this.policies.filter(
      (p) =>
        open.includes(outpointString(p.channel)) &&
        (request.target === "all" || outpointString(p.channel) === outpointString(request.target)),
    );
    if (request.target !== "all" && targets.length === 0)
      throw conflict(`no open channel with funding outpoint ${outpointString(request.target)}`);
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
    return { applied, replaced, failures, canonical: canonicalPolicySet(applied) };
  }
  async channelPolicies(): Promise<ChannelPolicy[]> {
    this.log.record("channelPolicies");
    const open = this.channels.filter((c) => c.state === "open").map((c) => outpointString(c.outpoint));
    return this.policies
      .filter((p) => open.includes(outpointString(p.channel)))
      .map((p) => ({
        channel: p.channel,
        baseFeeMsat: p.baseFeeMsat,
        feeRatePpm: p.feeRatePpm,
        cltvDelta: p.cltvDelta,
        inboundBaseFeeMsat: p.inboundBaseFeeMsat,
        inboundFeeRatePpm: p.inboundFeeRatePpm,
      }));
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
  async scanChannels(): Promise<ScannedChannel[]> {
    this.log.record("scanChannels");
    return this.channels
      .filter((c) => c.state === "open" && c.chanId)
      .map((c) => ({
        chanId: c.chanId!,
        outpoint: { ...c.outpoint },
        pubkey: c.pubkey,
        localSats: c.localSats,
        remoteSats: c.remoteSats,
        active: c.active,
      }));
  }
  async chainBalanceSats(): Promise<bigint> {
    this.log.record("chainBalanceSats");
    return this.chainSats;
  }
  /** As lnd's ForwardingHistory: whole seconds (the client rounds each Date), both ends inclusive. */
  async forwards(after: Date, before: Date): Promise<ForwardRecord[]> {
    this.log.record("forwards");
    const second = (d: Date) => Math.round(d.getTime() / 1000) * 1000;
    return this.forwardList.filter((f) => f.at.getTime() >= second(after) && f.at.getTime() <= second(before));
  }
  async newAddress(): Promise<string> {
    this.log.record("newAddress");
    return `bcrt1q${hex(++this.addresses, 38)}`;
  }
}

/** loopd: labelled swaps, its terms and quotes, and a refusal when a quote is over the swap's fee cap. */
export class FakeLoop implements LoopPort {
  readonly log = new CallLog();
  swaps: (Swap & { request: unknown })[] = [];
  /** every swap request, in order */
  requests: unknown[] = [];
  termsOut = { minSats: 250_000n, maxSats: 5_000_000n };
  termsIn = { minSats: 250_000n, maxSats: 5_000_000n };
  /** total fee quoted for a swap of this amount */
  feeFor = (amount: bigint): bigint => amount / 1000n;
  /** when true, the next swap starts and then the call throws, like a timeout after loopd acted */
  loseNextAnswer = false;
  private counter = 0;

  private start(
    type: "out" | "in",
    request: { amountSats: bigint; label: string; maxTotalFeeSats: bigint },
  ): { swapHash: string } {
    this.requests.push(request);
    if (this.feeFor(request.amountSats) > request.maxTotalFeeSats)
      throw conflict(`quoted swap and sweep fees exceed the cap of ${request.maxTotalFeeSats} sat`);
    const swapHash = hex(0xa000 + ++this.counter);
    this.swaps.push({
      swapHash,
      label: request.label,
      type,
      state: "INITIATED",
      amountSats: request.amountSats,
      request,
    });
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new Error("loopd timed out");
    }
    return { swapHash };
  }
  async loopOut(request: Parameters<LoopPort["loopOut"]>[0]): Promise<{ swapHash: string }> {
    this.log.record("loopOut");
    return this.start("out", request);
  }
  async loopIn(request: Parameters<LoopPort["loopIn"]>[0]): Promise<{ swapHash: string }> {
    this.log.record("loopIn");
    return this.start("in", request);
  }
  async listSwaps(): Promise<Swap[]> {
    this.log.record("listSwaps");
    return this.swaps.map(({ request: _request, ...s }) => ({ ...s }));
  }
  async terms(type: "out" | "in"): Promise<SwapTerms> {
    this.log.record("terms");
    return type === "out" ? this.termsOut : this.termsIn;
  }
  async quoteFeeSats(_type: "out" | "in", amount: bigint): Promise<bigint> {
    this.log.record("quote");
    return this.feeFor(amount);
  }
  /** Ends every swap in flight. */
  settleAll(state = "SUCCESS"): void {
    for (const swap of this.swaps) if (!SWAP_FINAL_STATES.includes(swap.state)) swap.state = state;
  }
}

/** The LV asset id the executor's unit tests configure (lv.asset_id). */
export const TEST_LV_ASSET = "ab".repeat(32);

interface Tranche extends AssetView {
  holder: FakeTapd;
}

/** The tapd universe the fake nodes share: tranches, addresses and receipts. */
export class FakeUniverse {
  tranches: Tranche[] = [];
  addresses = new Map<
    string,
    { owner: FakeTapd; assetId: string | undefined; groupKey: string | undefined; amount: bigint }
  >();
  height = 100;
  counter = 0;
}

/** One tapd node: mints grouped tranches, moves LV to the other nodes of its universe, spends confirmed coins only. */
export class FakeTapd implements TapdPort {
  readonly log = new CallLog();
  transfers: AssetTransfer[] = [];
  receiptList: ReceiptView[] = [];
  /** when true, the next mint happens and then throws, like a timeout after tapd acted */
  loseNextMint = false;

  constructor(
    readonly name: string,
    private readonly universe: FakeUniverse = new FakeUniverse(),
  ) {}

  private holdings(lv: LvAsset): Tranche[] {
    return this.universe.tranches.filter(
      (t) =>
        t.holder === this && t.amount > 0n && (lv.groupKey ? t.groupKey === lv.groupKey : t.assetId === lv.assetId),
    );
  }

  /** What this node holds of the test LV asset; setting it replaces that with one confirmed tranche. */
  get balance(): bigint {
    return this.holdings({ groupKey: undefined, assetId: TEST_LV_ASSET }).reduce((sum, t) => sum + t.amount, 0n);
  }
  set balance(amount: bigint) {
    for (const t of this.holdings({ groupKey: undefined, assetId: TEST_LV_ASSET })) t.amount = 0n;
    const n = ++this.universe.counter;
    this.universe.tranches.push({
      assetId: TEST_LV_ASSET,
      name: "LV",
      amount,
      groupKey: null,
      anchor: { txid: hex(0xf000 + n), vout: 0 },
      anchorBlockHeight: this.universe.height,
      holder: this,
    });
  }

  async mint(request: { name: string; amount: bigint; groupKey: string | undefined }): Promise<AssetView> {
    this.log.record("mint");
    const n = ++this.universe.counter;
    const tranche: Tranche = {
      assetId: hex(0xb000 + n),
      name: request.name,
      amount: request.amount,
      groupKey: request.groupKey ?? `02${hex(0xc000 + n)}`,
      anchor: { txid: hex(0xd000 + n), vout: 0 },
      anchorBlockHeight: 0,
      holder: this,
    };
    this.universe.tranches.push(tranche);
    if (this.loseNextMint) {
      this.loseNextMint = false;
      throw new Error("tapd timed out");
    }
    const { holder: _holder, ...view } = tranche;
    return view;
  }
  /** Confirms every unconfirmed mint and change output (a block). */
  confirmMints(): void {
    for (const t of this.universe.tranches) if (t.anchorBlockHeight === 0) t.anchorBlockHeight = ++this.universe.height;
  }
  async assets(): Promise<AssetView[]> {
    this.log.record("assets");
    return this.universe.tranches
      .filter((t) => t.holder === this && t.amount > 0n)
      .map(({ holder: _holder, ...view }) => ({ ...view }));
  }
  async lvBalance(lv: LvAsset): Promise<bigint> {
    this.log.record("lvBalance");
    return this.holdings(lv).reduce((sum, t) => sum + t.amount, 0n);
  }
  async newLvAddress(lv: LvAsset, amount: bigint): Promise<string> {
    this.log.record("newLvAddress");
    const address = `taprt1${this.name}${++this.universe.counter}`;
    this.universe.addresses.set(address, { owner: this, assetId: lv.assetId, groupKey: lv.groupKey, amount });
    return address;
  }
  async send(request: { address: string; label: string }): Promise<{ anchorTxid: string }> {
    this.log.record("send");
    const target = this.universe.addresses.get(request.address);
    if (!target) throw conflict("unknown address");
    const source = this.universe.tranches.find(
      (t) =>
        t.holder === this &&
        t.anchorBlockHeight > 0 &&
        (target.groupKey ? t.groupKey === target.groupKey : t.assetId === target.assetId) &&
        t.amount >= target.amount,
    );
    if (!source) throw conflict("failed to find coin(s) that satisfy given constraints");
    source.amount -= target.amount;
    const anchorTxid = hex(0xe000 + ++this.universe.counter);
    this.universe.tranches.push({
      ...source,
      amount: target.amount,
      holder: target.owner,
      anchor: { txid: anchorTxid, vout: 0 },
    });
    // The change is spendable once the anchor confirms (a block).
    if (source.amount > 0n) {
      this.universe.tranches.push({
        ...source,
        amount: source.amount,
        anchor: { txid: anchorTxid, vout: 1 },
        anchorBlockHeight: 0,
      });
      source.amount = 0n;
    }
    target.owner.receiptList.push({
      address: request.address,
      status: "completed",
      anchor: { txid: anchorTxid, vout: 0 },
      amount: target.amount,
      confirmationHeight: this.universe.height,
    });
    this.transfers.push({ label: request.label, anchorTxid, confirmed: false });
    return { anchorTxid };
  }
  async listTransfers(): Promise<AssetTransfer[]> {
    this.log.record("listTransfers");
    // confirmed once the block that confirms its change has been mined
    return this.transfers.map((t) => ({
      ...t,
      confirmed: !this.universe.tranches.some((c) => c.anchor.txid === t.anchorTxid && c.anchorBlockHeight === 0),
    }));
  }
  async receipts(address: string): Promise<ReceiptView[]> {
    this.log.record("receipts");
    return this.receiptList.filter((r) => r.address === address);
  }
  async blockHeight(): Promise<number> {
    return this.universe.height;
  }
}
