// The node's live state for the audit, read through the relay's daemon ports (daemons/bind.ts binds them from the
// relay config): every channel lnd knows (with who opened it), each open channel's own forwarding policy, the
// watchtower client's towers, and the LV balance of each tapd node holding LV wallets. Read-only: lnd offchain:read
// and info:read, tapd assets:read.
import type { Wallet } from "../../config.ts";
import { outpointString, type Daemons, type LvAsset, type TapdPort } from "../../daemons/ports.ts";
import type { LivePolicy, NodeState } from "./compare.ts";

export async function readNode(daemons: Daemons, lv: LvAsset): Promise<{ state: NodeState; notes: string[] }> {
  if (!daemons.lnd) throw new Error("the audit needs [lnd] in the relay config");
  const notes: string[] = [];
  const [records, towers, own] = await Promise.all([
    daemons.lnd.listChannels(),
    daemons.lnd.listTowers(),
    daemons.lnd.channelPolicies(),
  ]);
  const channels = records.map((c) => ({
    outpoint: outpointString(c.outpoint),
    state: c.state,
    isOpener: c.isOpener,
    peer: c.pubkey,
  }));
  const policies = new Map<string, LivePolicy>();
  for (const { channel, ...policy } of own) {
    if (policy.cltvDelta === null)
      notes.push(`channel ${outpointString(channel)}: no graph edge yet, CLTV delta not compared`);
    policies.set(outpointString(channel), policy);
  }
  return {
    state: {
      channels,
      policies,
      towers: towers.map((t) => ({ pubkey: t.pubkey, addresses: t.addresses })),
      lv: await readLv(daemons, lv, notes),
    },
    notes,
  };
}

async function readLv(daemons: Daemons, lv: LvAsset, notes: string[]): Promise<NodeState["lv"]> {
  // Wallets on one tapd node share its port: each node's balance is read once, for all the wallets it holds.
  const nodes = new Map<TapdPort, Wallet[]>();
  for (const [wallet, node] of Object.entries(daemons.tapd) as [Wallet, TapdPort | undefined][]) {
    if (node) nodes.set(node, [...(nodes.get(node) ?? []), wallet]);
  }
  if (nodes.size === 0) {
    notes.push("LV balances not checked: no tapd in the relay config");
    return undefined;
  }
  if (!lv.groupKey && !lv.assetId) {
    notes.push(
      "LV balances not checked: the LV asset is not known (set lv.asset_id, " +
        "or audit with the relay's journal after its first revenue epoch)",
    );
    return undefined;
  }
  const out: NonNullable<NodeState["lv"]> = [];
  for (const [node, wallets] of nodes) {
    // a configured asset id counts its whole group: every tranche the revenue sweeper minted into it
    const groupKey = lv.groupKey ?? (await node.assets()).find((a) => a.assetId === lv.assetId)?.groupKey ?? undefined;
    out.push({ wallets, balance: await node.lvBalance({ groupKey, assetId: lv.assetId }) });
  }
  return out;
}
