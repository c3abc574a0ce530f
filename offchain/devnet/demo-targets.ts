// What `--seed-demo`'s Lightning proposals point at, read from the running Lightning side (the simulators or the
// real regtest stack, as the nodes.json its step published): the peer node's pubkey and P2P address for the
// channel-open, the peer's own watchtower server for the watchtower add, and one of dao's open channels for the
// fee-policy. With these the relay can carry every seeded action out; made-up targets would fail 409.
import {
  connectLnd,
  getTowerServerInfo,
  listChannels,
  type AuthenticatedLnd,
  type Outpoint,
} from "../lightning/index.ts";
import type { LightningStack, StackNode } from "../lightning/connection/stack-file.ts";

export interface DemoTargets {
  /** the node dao opens a channel to */
  peer: { pubkey: string; host: string };
  /** a watchtower that answers: the peer lnd's own (`--watchtower.active`) */
  tower: { pubkey: string; host: string };
  /** an open channel of dao's, whose fee policy the demo changes */
  channel: Outpoint;
}

export class DemoTargetsError extends Error {
  override name = "DemoTargetsError";
}

const connect = (node: StackNode): AuthenticatedLnd =>
  connectLnd({ socket: node.lnd_socket, certPath: node.lnd_cert_path, macaroonPath: node.lnd_macaroon_path });

const close = (lnd: AuthenticatedLnd): void => {
  for (const client of Object.values(lnd)) (client as { close?: () => void }).close?.();
};

export async function readDemoTargets(stack: LightningStack): Promise<DemoTargets> {
  const peerLnd = connect(stack.nodes.peer);
  const daoLnd = connect(stack.nodes.dao);
  try {
    const tower = await getTowerServerInfo({ lnd: peerLnd });
    if (!tower) throw new DemoTargetsError("the peer lnd runs no watchtower server (--watchtower.active)");
    const towerHost = tower.sockets[0];
    if (!towerHost) throw new DemoTargetsError("the peer lnd's watchtower server lists no listening address");
    const open = (await listChannels({ lnd: daoLnd })).filter((c) => c.state === "open");
    const channel = open.find((c) => c.peerPubkey === stack.nodes.peer.pubkey) ?? open[0];
    if (!channel) throw new DemoTargetsError("dao's lnd has no open channel for the fee-policy proposal");
    return {
      peer: { pubkey: stack.nodes.peer.pubkey, host: stack.nodes.peer.p2p_host },
      tower: { pubkey: tower.pubkey, host: towerHost },
      channel: channel.channel,
    };
  } finally {
    close(peerLnd);
    close(daoLnd);
  }
}
