// lnd as the executor's LndPort, over offchain/lightning's lnd actions (one per file, inputs and answers checked,
// errors classified; each names its macaroon permission). This adapter only converts units and shapes.
import type { AuthenticatedLnd } from "lightning";
import { addTower, closeChannel, connectLnd, connectPeer, listChannels, listTowers, openChannel, removeTower, updateChannelPolicy } from "../../lightning/index.ts";
import type { DaemonConnection } from "../config.ts";
import type { ChannelInfo, LndPort, Outpoint, PolicyResult, Tower } from "../ports.ts";
import { relayCall } from "./classify.ts";

export class LightningLnd implements LndPort {
  constructor(
    private readonly lnd: AuthenticatedLnd,
    private readonly timeoutMs?: number,
  ) {}

  static connect(connection: DaemonConnection, timeoutMs?: number): LightningLnd {
    return new LightningLnd(connectLnd({ socket: connection.socket, cert: connection.certPem, macaroonHex: connection.macaroon.reveal() }), timeoutMs);
  }

  private get base() {
    return { lnd: this.lnd, ...(this.timeoutMs ? { timeoutMs: this.timeoutMs } : {}) };
  }

  async connectPeer(request: { pubkey: string; host: string }): Promise<void> {
    await relayCall(() => connectPeer({ ...this.base, pubkey: request.pubkey, socket: request.host }));
  }

  openChannel(request: Parameters<LndPort["openChannel"]>[0]): Promise<Outpoint> {
    return relayCall(() =>
      openChannel({
        ...this.base,
        peerPubkey: request.pubkey,
        localSats: Number(request.localSats),
        pushSats: Number(request.pushSats),
        isPrivate: request.private,
        memo: request.memo,
        baseFeeMsat: request.baseFeeMsat,
        feeRatePpm: Number(request.feePpm),
      }),
    );
  }

  async listChannels(): Promise<ChannelInfo[]> {
    const channels = await relayCall(() => listChannels(this.base));
    return channels.map((c) => ({
      state: c.state,
      outpoint: c.channel,
      chanId: c.id,
      pubkey: c.peerPubkey,
      capacitySats: BigInt(c.capacitySats),
      active: c.isActive,
      memo: c.memo ?? undefined,
      closingTxid: c.closingTxid ?? undefined,
    }));
  }

  async closeChannel(request: { outpoint: Outpoint; force: boolean; maxFeeRate: bigint }): Promise<{ closingTxid: string }> {
    const closed = await relayCall(() => closeChannel({ ...this.base, channel: request.outpoint, force: request.force, maxFeeRate: Number(request.maxFeeRate) }));
    return { closingTxid: closed.closingTxid };
  }

  async applyPolicy(request: Parameters<LndPort["applyPolicy"]>[0]): Promise<PolicyResult> {
    const result = await relayCall(() => updateChannelPolicy({ ...this.base, target: request.target, policy: request.policy }));
    return { applied: result.applied, replaced: result.replaced, failures: result.failures.map((f) => ({ channel: f.channel, reason: `${f.reason} ${f.error}`.trim() })) };
  }

  async listTowers(): Promise<Tower[]> {
    return (await relayCall(() => listTowers(this.base))).map((t) => ({ pubkey: t.pubkey, addresses: t.sockets, active: t.isActive }));
  }

  async addTower(request: { pubkey: string; host: string }): Promise<void> {
    await relayCall(() => addTower({ ...this.base, pubkey: request.pubkey, socket: request.host }));
  }

  async removeTower(pubkey: string): Promise<void> {
    await relayCall(() => removeTower({ ...this.base, pubkey }));
  }
}
