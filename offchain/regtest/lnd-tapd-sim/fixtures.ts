// Large fixtures set straight into the simulated state, for benchmarks and load tests: opening 10,000 channels
// one RPC at a time would measure the set-up, not the scan.
import { channelPoint, initialPolicy, shortChannelId, type SimChannel } from "./channels.ts";
import { newTxid } from "./keys.ts";
import type { SimLnd } from "./lnd-node.ts";
import type { SimNetwork } from "./network.ts";

/** Adds `count` confirmed, open channels between `owner` and the other simulated nodes in turn. */
export function addOpenChannels(
  simulation: { network: SimNetwork; lnd: Record<string, SimLnd> },
  owner: string,
  count: number,
): SimChannel[] {
  const node = simulation.lnd[owner];
  if (!node) throw new Error(`no simulated node ${owner}`);
  const partners = Object.values(simulation.lnd).filter((other) => other !== node);
  const height = simulation.network.chain.height;
  const now = Math.floor(Date.now() / 1000);
  const added: SimChannel[] = [];
  for (let i = 0; i < count; i += 1) {
    const partner = partners[i % partners.length] as SimLnd;
    const capacity = 100_000 + (i % 97) * 10_000;
    const local = Math.floor(capacity * ((i % 10) / 10));
    const channel: SimChannel = {
      txid: newTxid(),
      vout: i % 3,
      capacity,
      opener: node,
      partner,
      balanceMsat: new Map([
        [node.name, BigInt(local) * 1000n],
        [partner.name, BigInt(capacity - local) * 1000n],
      ]),
      pushSat: 0,
      commitFee: 0,
      isPrivate: i % 5 === 0,
      memo: `lvdao:fixture:${i}`,
      status: "open",
      fundingHeight: height,
      confirmationsRequired: 3,
      chanId: shortChannelId(Math.max(1, height), i + 1, i % 3),
      policies: new Map([
        [node.name, initialPolicy(capacity, now)],
        [partner.name, initialPolicy(capacity, now)],
      ]),
      close: null,
      numUpdates: 0,
      sentMsat: new Map(),
      receivedMsat: new Map(),
      csvDelay: 144,
      openedAt: now,
    };
    simulation.network.channels.push(channel);
    added.push(channel);
  }
  if (added.some((channel) => !channelPoint(channel))) throw new Error("fixture channel without a point");
  return added;
}
