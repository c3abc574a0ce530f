// Binds the monitors' ports (monitors/ports.ts) to the configured daemons over offchain/lightning's actions, each
// error mapped to the relay's failures (adapters/classify.ts). The monitors open their own connections from the
// relay config, so they run whatever daemon ports the executor was given (tests pass fakes to the executor).
// Macaroon permissions: lnd offchain:read, onchain:read, address:write; loopd swap:read, swap:execute, loop:out,
// loop:in, terms:read; tapd assets:read, assets:write, addresses:read, addresses:write, mint:write, daemon:read.
import type { AuthenticatedLnd } from "lightning";
import {
  connectLnd,
  connectLoop,
  connectTapd,
  createAddress,
  getChainBalance,
  getForwards,
  getLoopInQuote,
  getLoopInTerms,
  getLoopOutQuote,
  getLoopOutTerms,
  getTapdInfo,
  listAddressReceives,
  listAssetBalances,
  listSwaps,
  mintGroupedAsset,
  newAssetAddress,
  scanLiquidity,
  type LoopClient,
  type TapdClient,
} from "../../lightning/index.ts";
import { unaryCall } from "../../lightning/connection/grpc-call.ts";
import { assetsFromTapd } from "../../lightning/responses/tapd.ts";
import { relayCall } from "../adapters/classify.ts";
import { LoopRest } from "../adapters/loop.ts";
import { TapdWallet } from "../adapters/tapd.ts";
import { WALLETS, type RelayConfig, type Wallet } from "../config.ts";
import type { AssetView, LvAsset, MonitorLnd, MonitorLoop, MonitorTapd, ReceiptView, ScannedChannel, SwapTermsView, SwapView } from "./ports.ts";

export class LightningMonitorLnd implements MonitorLnd {
  constructor(private readonly lnd: AuthenticatedLnd) {}

  async scanChannels(): Promise<ScannedChannel[]> {
    const scan = await relayCall(() => scanLiquidity({ lnd: this.lnd }));
    return scan.channels.map((c) => ({
      chanId: c.id,
      outpoint: c.channel,
      pubkey: c.peerPubkey,
      localSats: BigInt(c.localSats),
      remoteSats: BigInt(c.remoteSats),
      active: c.isActive,
    }));
  }

  async chainBalanceSats(): Promise<bigint> {
    return BigInt((await relayCall(() => getChainBalance({ lnd: this.lnd }))).confirmedSats);
  }

  async forwards(after: Date, before: Date) {
    const forwards = await relayCall(() => getForwards({ lnd: this.lnd, after, before }));
    return forwards.map((f) => ({ at: f.at, incomingChannel: f.incomingChannelId, outgoingChannel: f.outgoingChannelId, feeMsat: f.feeMsat }));
  }

  newAddress(): Promise<string> {
    return relayCall(() => createAddress({ lnd: this.lnd, format: "p2wpkh" }));
  }
}

export class RestMonitorLoop implements MonitorLoop {
  private readonly swapsPort: LoopRest;
  constructor(private readonly loop: LoopClient) {
    this.swapsPort = new LoopRest(loop);
  }

  loopOut(request: Parameters<MonitorLoop["loopOut"]>[0]) {
    return this.swapsPort.loopOut(request);
  }

  loopIn(request: Parameters<MonitorLoop["loopIn"]>[0]) {
    return this.swapsPort.loopIn(request);
  }

  async terms(type: "out" | "in"): Promise<SwapTermsView> {
    const terms = await relayCall(() => (type === "out" ? getLoopOutTerms({ loop: this.loop }) : getLoopInTerms({ loop: this.loop })));
    return { minSats: BigInt(terms.minSwapSats), maxSats: BigInt(terms.maxSwapSats) };
  }

  async quoteFeeSats(type: "out" | "in", amountSats: bigint): Promise<bigint> {
    if (type === "out") {
      const quote = await relayCall(() => getLoopOutQuote({ loop: this.loop, amountSats: Number(amountSats) }));
      return BigInt(quote.swapFeeSats + quote.htlcSweepFeeSats);
    }
    const quote = await relayCall(() => getLoopInQuote({ loop: this.loop, amountSats: Number(amountSats) }));
    return BigInt(quote.swapFeeSats + Math.max(0, quote.htlcPublishFeeSats));
  }

  async swaps(): Promise<SwapView[]> {
    return (await relayCall(() => listSwaps({ loop: this.loop }))).map((s) => ({
      swapHash: s.id,
      label: s.label,
      type: s.type === "LOOP_OUT" ? "out" : "in",
      state: s.state,
      amountSats: BigInt(s.amountSats),
    }));
  }
}

export class GrpcMonitorTapd extends TapdWallet implements MonitorTapd {
  constructor(private readonly client: TapdClient) {
    super(client);
  }

  async mint(request: { name: string; amount: bigint; groupKey: string | undefined }): Promise<AssetView> {
    const { asset } = await relayCall(() =>
      mintGroupedAsset({ tapd: this.client, name: request.name, amount: request.amount, ...(request.groupKey ? { groupKey: request.groupKey } : {}) }),
    );
    return { assetId: asset.assetId, name: asset.name, amount: asset.amount, groupKey: asset.groupKey, anchor: asset.anchor, anchorBlockHeight: asset.anchorBlockHeight };
  }

  async assets(): Promise<AssetView[]> {
    const answer = await relayCall(() => unaryCall(this.client.assets, "ListAssets", { include_unconfirmed_mints: true }, { daemon: "tapd", action: "listAssets" }));
    return assetsFromTapd(answer, "listAssets")
      .filter((a) => !a.isSpent)
      .map((a) => ({ assetId: a.assetId, name: a.name, amount: a.amount, groupKey: a.groupKey, anchor: a.anchor, anchorBlockHeight: a.anchorBlockHeight }));
  }

  async lvBalance(lv: LvAsset): Promise<bigint> {
    const by = lv.groupKey ? "group" : "asset";
    const key = lv.groupKey ?? lv.assetId;
    if (!key) return 0n;
    const balances = await relayCall(() => listAssetBalances({ tapd: this.client, by }));
    return balances.find((b) => b.key === key)?.balance ?? 0n;
  }

  async newLvAddress(lv: LvAsset, amount: bigint): Promise<string> {
    const target = lv.groupKey ? { groupKey: lv.groupKey } : lv.assetId ? { assetId: lv.assetId } : undefined;
    if (!target) throw new Error("the LV asset is not known yet");
    return (await relayCall(() => newAssetAddress({ tapd: this.client, amount, ...target }))).address;
  }

  async receipts(address: string): Promise<ReceiptView[]> {
    return (await relayCall(() => listAddressReceives({ tapd: this.client, address }))).map((r) => ({
      address: r.address,
      status: r.status,
      anchor: r.anchor,
      amount: r.amount,
      confirmationHeight: r.confirmationHeight,
    }));
  }

  async blockHeight(): Promise<number> {
    return (await relayCall(() => getTapdInfo({ tapd: this.client }))).blockHeight;
  }
}

export interface MonitorDaemons {
  lnd: MonitorLnd | undefined;
  loop: MonitorLoop | undefined;
  /** the tapd node holding each LV wallet (wallets on one node share one port object) */
  tapd: Partial<Record<Wallet, MonitorTapd>>;
  close(): void;
}

/** Connects the monitors' ports to the daemons in the relay config; a daemon missing there stays unbound. */
export function bindMonitorDaemons(config: Pick<RelayConfig, "lnd" | "loop" | "lvWallets">): MonitorDaemons {
  const clients: TapdClient[] = [];
  const bySocket = new Map<string, GrpcMonitorTapd>();
  const tapd: MonitorDaemons["tapd"] = {};
  for (const wallet of WALLETS) {
    const connection = config.lvWallets[wallet];
    if (!connection) continue;
    let port = bySocket.get(connection.socket);
    if (!port) {
      const client = connectTapd({ socket: connection.socket, cert: connection.certPem, macaroonHex: connection.macaroon.reveal() });
      clients.push(client);
      port = new GrpcMonitorTapd(client);
      bySocket.set(connection.socket, port);
    }
    tapd[wallet] = port;
  }
  const lnd = config.lnd ? connectLnd({ socket: config.lnd.socket, cert: config.lnd.certPem, macaroonHex: config.lnd.macaroon.reveal() }) : undefined;
  const loop = config.loop
    ? connectLoop({ restUrl: config.loop.restUrl, ...(config.loop.certPem ? { cert: config.loop.certPem } : {}), macaroonHex: config.loop.macaroon.reveal() })
    : undefined;
  return {
    lnd: lnd ? new LightningMonitorLnd(lnd) : undefined,
    loop: loop ? new RestMonitorLoop(loop) : undefined,
    tapd,
    close: () => clients.forEach((client) => client.close()),
  };
}
