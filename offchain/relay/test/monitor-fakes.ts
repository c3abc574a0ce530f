// Stand-ins for the monitors' collaborators, faithful to what the monitors rely on: a ledger that applies
// report-autonomous, report-liquidity, set-pledge-address, confirm-contribution and record-revenue-epoch with the
// contracts' checks (budget per period, one record per epoch, shares within 1 unit, one use per anchor) and keeps
// every transaction; lnd's channels, balance and forwards; loopd's terms, quotes and labelled swaps; tapd nodes
// that mint grouped tranches and move LV between each other. The integration suites use the real peers instead.
import { createHash } from "node:crypto";
import type { ClarityValue } from "@stacks/transactions";
import { ERRORS } from "../../chain/errors.ts";
import { encodeAction, type RebalancePolicy as PolicyPayload } from "../../actions/index.ts";
import { conflict } from "../failure.ts";
import type { Allocation, ActivePolicyOnChain, ContractView, PledgeOnChain } from "../stacks/reads.ts";
import type { AssetView, ForwardRecord, LvAsset, MonitorLnd, MonitorLoop, MonitorTapd, ReceiptView, ScannedChannel, SwapView } from "../monitors/ports.ts";
import type { AssetTransfer, OnChainAction, TxOutcome } from "../ports.ts";
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
    this.policy = { id, activatedAt: BigInt(this.burnHeight), budgetSats: payload.budgetSats, budgetPeriod: payload.budgetPeriod, payload: encodeAction({ kind: "rebalance-policy", payload }) };
  }

  /** The queue port's part the monitors use. */
  readonly queue = {
    tip: async () => ({ burnHeight: this.burnHeight, stacksHeight: this.stacksHeight }),
    getAction: async (id: bigint): Promise<OnChainAction | undefined> =>
      this.policy && this.policy.id === id
        ? { id, kind: "rebalance-policy", payload: this.policy.payload, eta: 0, expires: 0, status: "executed", relay: undefined, claimExpires: 0, attempts: 0 }
        : undefined,
  };

  // ContractView
  async activePolicy() {
    this.log.record("activePolicy");
    return this.policy && { id: this.policy.id, activatedAt: this.policy.activatedAt, budgetSats: this.policy.budgetSats, budgetPeriod: this.policy.budgetPeriod };
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
  async callJournaled(contractId: string, fn: string, args: ClarityValue[], before: (signed: { txid: string; rawHex: string }) => Promise<void>): Promise<string> {
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
        : { status: "failed", resultRepr: `(err u${result.err})`, errorCode: result.err, blockHeight: this.stacksHeight++ };
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
        if (!within(toInfra!, this.alloc.infrastructureBps) || !within(toChannels!, this.alloc.channelBps) || !within(toReserve!, this.alloc.reserveBps)) {
          return { err: LEDGER.ERR_SHARE_MISMATCH };
        }
        if (this.epochs.has(epoch!)) return { err: LEDGER.ERR_EPOCH_RECORDED };
        this.epochs.set(epoch!, { revenue: revenue!, minted: minted!, shares: [toInfra!, toChannels!, toReserve!], evidence: text(a[6]!) });
        return { ok: "true" };
      }
      default:
        throw new Error(`the fake ledger has no ${fn}`);
    }
  }
}

export class FakeMonitorLnd implements MonitorLnd {
  readonly log = new CallLog();
  channels: ScannedChannel[] = [];
  chainSats = 0n;
  forwardList: ForwardRecord[] = [];
  private addresses = 0;

  /** A channel with `localSats` of `capacity` on our side. */
  channel(n: number, pubkey: string, localSats: bigint, remoteSats: bigint, active = true): ScannedChannel {
    const channel = { chanId: `${700 + n}x1x0`, outpoint: { txid: hex(n), vout: 0 }, pubkey, localSats, remoteSats, active };
    this.channels.push(channel);
    return channel;
  }
  async scanChannels() {
    this.log.record("scanChannels");
    return this.channels.map((c) => ({ ...c }));
  }
  async chainBalanceSats() {
    this.log.record("chainBalanceSats");
    return this.chainSats;
  }
  /** As lnd's ForwardingHistory: whole seconds (the client rounds each Date), both ends inclusive. */
  async forwards(after: Date, before: Date) {
    this.log.record("forwards");
    const second = (d: Date) => Math.round(d.getTime() / 1000) * 1000;
    return this.forwardList.filter((f) => f.at.getTime() >= second(after) && f.at.getTime() <= second(before));
  }
  async newAddress() {
    this.log.record("newAddress");
    return `bcrt1q${hex(++this.addresses, 38)}`;
  }
}

export class FakeMonitorLoop implements MonitorLoop {
  readonly log = new CallLog();
  swapList: (SwapView & { request: unknown })[] = [];
  termsOut = { minSats: 250_000n, maxSats: 5_000_000n };
  termsIn = { minSats: 250_000n, maxSats: 5_000_000n };
  /** total fee quoted for a swap of this amount */
  feeFor = (amount: bigint): bigint => amount / 1000n;
  /** when true, loopOut starts the swap and then throws, like a timeout after loopd acted */
  loseNextAnswer = false;
  private counter = 0;

  async terms(type: "out" | "in") {
    this.log.record("terms");
    return type === "out" ? this.termsOut : this.termsIn;
  }
  async quoteFeeSats(_type: "out" | "in", amount: bigint) {
    this.log.record("quote");
    return this.feeFor(amount);
  }
  async swaps() {
    this.log.record("swaps");
    return this.swapList.map(({ request: _request, ...s }) => ({ ...s }));
  }
  private start(type: "out" | "in", request: { amountSats: bigint; label: string; maxTotalFeeSats: bigint }) {
    if (this.feeFor(request.amountSats) > request.maxTotalFeeSats) throw conflict(`quoted swap and sweep fees exceed the cap of ${request.maxTotalFeeSats} sat`);
    const swapHash = hex(0xa000 + ++this.counter);
    this.swapList.push({ swapHash, label: request.label, type, state: "INITIATED", amountSats: request.amountSats, request });
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new Error("loopd timed out");
    }
    return { swapHash };
  }
  async loopOut(request: Parameters<MonitorLoop["loopOut"]>[0]) {
    this.log.record("loopOut");
    return this.start("out", request);
  }
  async loopIn(request: Parameters<MonitorLoop["loopIn"]>[0]) {
    this.log.record("loopIn");
    return this.start("in", request);
  }
  /** Ends every swap in flight. */
  settleAll(state = "SUCCESS"): void {
    for (const swap of this.swapList) if (!["SUCCESS", "FAILED"].includes(swap.state)) swap.state = state;
  }
}

interface Tranche extends AssetView {
  holder: FakeMonitorTapd;
}

/** The tapd universe the fake nodes share: tranches, addresses and receipts. */
export class FakeUniverse {
  tranches: Tranche[] = [];
  addresses = new Map<string, { owner: FakeMonitorTapd; assetId: string | undefined; groupKey: string | undefined; amount: bigint }>();
  height = 100;
  counter = 0;
}

export class FakeMonitorTapd implements MonitorTapd {
  readonly log = new CallLog();
  transfers: AssetTransfer[] = [];
  receiptList: ReceiptView[] = [];
  /** when true, the next mint happens and then throws, like a timeout after tapd acted */
  loseNextMint = false;

  constructor(
    readonly name: string,
    private readonly universe: FakeUniverse,
  ) {}

  private holdings(lv: LvAsset): Tranche[] {
    return this.universe.tranches.filter((t) => t.holder === this && t.amount > 0n && (lv.groupKey ? t.groupKey === lv.groupKey : t.assetId === lv.assetId));
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
  async assets() {
    this.log.record("assets");
    return this.universe.tranches.filter((t) => t.holder === this && t.amount > 0n).map(({ holder: _holder, ...view }) => ({ ...view }));
  }
  async lvBalance(lv: LvAsset) {
    this.log.record("lvBalance");
    return this.holdings(lv).reduce((sum, t) => sum + t.amount, 0n);
  }
  async newLvAddress(lv: LvAsset, amount: bigint) {
    this.log.record("newLvAddress");
    const address = `taprt1${this.name}${++this.universe.counter}`;
    this.universe.addresses.set(address, { owner: this, assetId: lv.assetId, groupKey: lv.groupKey, amount });
    return address;
  }
  async newAddress(request: { assetId: string; amount: bigint }) {
    return this.newLvAddress({ assetId: request.assetId, groupKey: undefined }, request.amount);
  }
  async send(request: { address: string; label: string }) {
    this.log.record("send");
    const target = this.universe.addresses.get(request.address);
    if (!target) throw conflict("unknown address");
    const source = this.universe.tranches.find(
      (t) => t.holder === this && t.anchorBlockHeight > 0 && (target.assetId ? t.assetId === target.assetId : t.groupKey === target.groupKey) && t.amount >= target.amount,
    );
    if (!source) throw conflict("failed to find coin(s) that satisfy given constraints");
    source.amount -= target.amount;
    const anchorTxid = hex(0xe000 + ++this.universe.counter);
    this.universe.tranches.push({ ...source, amount: target.amount, holder: target.owner, anchor: { txid: anchorTxid, vout: 0 } });
    // The change is spendable once the anchor confirms (a block).
    if (source.amount > 0n) {
      this.universe.tranches.push({ ...source, amount: source.amount, anchor: { txid: anchorTxid, vout: 1 }, anchorBlockHeight: 0 });
      source.amount = 0n;
    }
    target.owner.receiptList.push({ address: request.address, status: "completed", anchor: { txid: anchorTxid, vout: 0 }, amount: target.amount, confirmationHeight: this.universe.height });
    this.transfers.push({ label: request.label, anchorTxid, confirmed: false });
    return { anchorTxid };
  }
  async listTransfers() {
    this.log.record("listTransfers");
    // confirmed once the block that confirms its change has been mined
    return this.transfers.map((t) => ({ ...t, confirmed: !this.universe.tranches.some((c) => c.anchor.txid === t.anchorTxid && c.anchorBlockHeight === 0) }));
  }
  async receipts(address: string) {
    this.log.record("receipts");
    return this.receiptList.filter((r) => r.address === address);
  }
  async blockHeight() {
    return this.universe.height;
  }
}
