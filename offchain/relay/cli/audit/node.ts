// The node's live state for the audit, read with offchain/lightning's actions over the relay config's daemons:
// every channel lnd knows (with who opened it), each open channel's own forwarding policy, the watchtower client's
// towers, and the LV balance of each tapd node holding LV wallets. Read-only: lnd offchain:read and info:read, tapd
// assets:read.
import { connectLnd, connectTapd, getChannelPolicy, getFeeRates, getNodeInfo, listAssetBalances, listAssets, listChannels, listTowers } from "../../../lightning/index.ts";
import { WALLETS, type RelayConfig, type Wallet } from "../../config.ts";
import { outpointString } from "../../ports.ts";
import type { LivePolicy, NodeState } from "./compare.ts";

export interface LvIdentity {
  groupKey: string | undefined;
  assetId: string | undefined;
}

export async function readNode(config: Pick<RelayConfig, "lnd" | "lvWallets">, lv: LvIdentity): Promise<{ state: NodeState; notes: string[] }> {
  if (!config.lnd) throw new Error("the audit needs [lnd] in the relay config");
  const notes: string[] = [];
  const lnd = connectLnd({ socket: config.lnd.socket, cert: config.lnd.certPem, macaroonHex: config.lnd.macaroon.reveal() });
  try {
    const [records, towers, self, rates] = await Promise.all([listChannels({ lnd }), listTowers({ lnd }), getNodeInfo({ lnd }), getFeeRates({ lnd })]);
    const channels = records.map((c) => ({ outpoint: outpointString(c.channel), state: c.state, isOpener: c.isOpener, peer: c.peerPubkey }));
    const policies = new Map<string, LivePolicy>();
    for (const rate of rates) {
      // The fee report has no CLTV delta; the channel's graph edge does (private channels may have none yet).
      const cltvDelta = await getChannelPolicy({ lnd, channel: rate.channel, ownPubkey: self.pubkey }).then(
        (p) => p.cltvDelta,
        () => null,
      );
      if (cltvDelta === null) notes.push(`channel ${outpointString(rate.channel)}: no graph edge yet, CLTV delta not compared`);
      policies.set(outpointString(rate.channel), { baseFeeMsat: rate.baseFeeMsat, feeRatePpm: rate.feeRatePpm, cltvDelta, inboundBaseFeeMsat: rate.inboundBaseFeeMsat, inboundFeeRatePpm: rate.inboundFeeRatePpm });
    }
    return { state: { channels, policies, towers: towers.map((t) => ({ pubkey: t.pubkey, addresses: t.sockets })), lv: await readLv(config, lv, notes) }, notes };
  } finally {
    for (const client of Object.values(lnd)) (client as { close?: () => void }).close?.();
  }
}

async function readLv(config: Pick<RelayConfig, "lvWallets">, lv: LvIdentity, notes: string[]): Promise<NodeState["lv"]> {
  const nodes = new Map<string, { connection: NonNullable<RelayConfig["lvWallets"][Wallet]>; wallets: Wallet[] }>();
  for (const wallet of WALLETS) {
    const connection = config.lvWallets[wallet];
    if (!connection) continue;
    const node = nodes.get(connection.socket) ?? { connection, wallets: [] };
    node.wallets.push(wallet);
    nodes.set(connection.socket, node);
  }
  if (nodes.size === 0) {
    notes.push("LV balances not checked: no tapd in the relay config");
    return undefined;
  }
  if (!lv.groupKey && !lv.assetId) {
    notes.push("LV balances not checked: the LV asset is not known (set lv.asset_id, or audit with the relay's journal after its first revenue epoch)");
    return undefined;
  }
  const out: NonNullable<NodeState["lv"]> = [];
  for (const { connection, wallets } of nodes.values()) {
    const tapd = connectTapd({ socket: connection.socket, cert: connection.certPem, macaroonHex: connection.macaroon.reveal() });
    try {
      let groupKey = lv.groupKey;
      if (!groupKey && lv.assetId) groupKey = (await listAssets({ tapd })).find((a) => a.assetId === lv.assetId)?.groupKey ?? undefined;
      const balances = await listAssetBalances({ tapd, by: groupKey ? "group" : "asset" });
      out.push({ wallets, balance: balances.find((b) => b.key === (groupKey ?? lv.assetId))?.balance ?? 0n });
    } finally {
      tapd.close();
    }
  }
  return out;
}
