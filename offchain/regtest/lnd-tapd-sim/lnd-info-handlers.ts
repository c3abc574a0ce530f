// The simulated lnd's identity, peers and watchtowers: GetInfo (labelled as the simulator), ConnectPeer, ListPeers,
// DisconnectPeer, the watchtower client (wtclientrpc) on nodes started with it, and the watchtower server's GetInfo.
import { status } from "@grpc/grpc-js";
import type { Message, MethodSpec } from "./grpc-server.ts";
import { READ, WRITE, type LndContext } from "./lnd-context.ts";
import type { TowerEntry } from "./lnd-node.ts";
import { SimRpcError } from "./rpc-error.ts";
import { other } from "./channels.ts";

const FEATURES: Message = {
  0: { name: "data-loss-protect", is_required: true, is_known: true },
  5: { name: "upfront-shutdown-script", is_required: false, is_known: true },
  7: { name: "gossip-queries", is_required: false, is_known: true },
  9: { name: "tlv-onion", is_required: false, is_known: true },
  12: { name: "static-remote-key", is_required: true, is_known: true },
  14: { name: "payment-addr", is_required: true, is_known: true },
  17: { name: "multi-path-payments", is_required: false, is_known: true },
  23: { name: "anchors-zero-fee-htlc-tx", is_required: false, is_known: true },
};

const TOWER_PORT = 9911;
const withPort = (address: string) => (/:\d+$/.test(address) ? address : `${address}:${TOWER_PORT}`);

export function infoMethods(context: LndContext): Record<string, MethodSpec> {
  const { node, network, chain } = context;
  return {
    GetInfo: {
      permissions: READ.info,
      unary: () => {
        const mine = network.channelsOf(node);
        const open = mine.filter((c) => c.status === "open");
        const active = open.filter((c) => node.peers.has(other(c, node).pubkey)).length;
        return {
          version: context.version,
          commit_hash: "lvdao-simulator",
          identity_pubkey: node.pubkey,
          alias: node.alias,
          color: node.color,
          num_pending_channels: mine.filter((c) => c.status === "pending_open").length,
          num_active_channels: active,
          num_inactive_channels: open.length - active,
          num_peers: node.peers.size,
          block_height: chain.height,
          block_hash: chain.tip.hash,
          best_header_timestamp: String(chain.tip.time),
          synced_to_chain: true,
          synced_to_graph: true,
          testnet: false,
          chains: [{ chain: "bitcoin", network: "regtest" }],
          uris: [],
          features: FEATURES,
          require_htlc_interceptor: false,
          store_final_htlc_resolutions: false,
        };
      },
    },
    ConnectPeer: {
      permissions: WRITE.peers,
      unary: (request) => {
        const address: Message | null = request.addr ?? null;
        if (!address) throw new SimRpcError("need: lnc pubkeyhash@hostname");
        const pubkey = String(address.pubkey ?? "");
        if (!/^0[23][0-9a-f]{64}$/.test(pubkey)) throw new SimRpcError("unable to parse pubkey: malformed public key");
        network.connect(node, pubkey, String(address.host ?? ""));
        return { status: `connection to ${pubkey}@${address.host} initiated` };
      },
    },
    DisconnectPeer: {
      permissions: WRITE.peers,
      unary: (request) => {
        network.disconnect(node, String(request.pub_key ?? ""));
        return { status: "disconnect initiated" };
      },
    },
    ListPeers: {
      permissions: READ.peers,
      unary: () => ({
        peers: [...node.peers].map(([pubkey, peer]) => ({
          pub_key: pubkey,
          address: peer.address,
          bytes_sent: "0",
          bytes_recv: "0",
          sat_sent: "0",
          sat_recv: "0",
          inbound: peer.inbound,
          ping_time: "0",
          sync_type: "ACTIVE_SYNC",
          features: FEATURES,
          errors: [],
          flap_count: 0,
          last_flap_ns: "0",
          last_ping_payload: Buffer.alloc(0),
        })),
      }),
    },
  };
}

function towerMessage(tower: TowerEntry, includeSessions: boolean): Message {
  const sessions = includeSessions
    ? Array.from({ length: tower.sessions }, (_, index) => ({
        num_backups: 0,
        num_pending_backups: 0,
        max_backups: 1024,
        sweep_sat_per_byte: 10,
        sweep_sat_per_vbyte: 10,
        id: Buffer.from(`${tower.pubkey.slice(0, 62)}${index.toString(16).padStart(4, "0")}`, "hex"),
      }))
    : [];
  const session = (policyType: string, active: boolean) => ({
    active_session_candidate: active,
    num_sessions: active ? tower.sessions : 0,
    sessions: active ? sessions : [],
    policy_type: policyType,
  });
  return {
    pubkey: Buffer.from(tower.pubkey, "hex"),
    addresses: tower.addresses,
    active_session_candidate: tower.sessions > 0,
    num_sessions: tower.sessions,
    sessions,
    session_info: [session("LEGACY", false), session("ANCHOR", tower.sessions > 0), session("TAPROOT", false)],
  };
}

/** wtclientrpc.WatchtowerClient; every method fails as lnd does when the node runs without `--wtclient.active`. */
export function towerClientMethods(context: LndContext): Record<string, MethodSpec> {
  const { node, network } = context;
  const active = () => {
    if (!node.towerClient) throw new SimRpcError("watchtower client not active");
  };
  const pubkeyOf = (request: Message) => {
    const bytes: Buffer | undefined = request.pubkey;
    if (bytes?.length !== 33)
      throw new SimRpcError("invalid public key: malformed public key", status.INVALID_ARGUMENT);
    return bytes.toString("hex");
  };
  // A session is negotiated when a simulated watchtower answers at one of the addresses with that key.
  const answeringTower = (pubkey: string, addresses: string[]) =>
    [...network.nodes.values()].some((n) => n.towerKeys?.publicKey === pubkey && addresses.includes(n.towerHost));
  return {
    AddTower: {
      permissions: WRITE.offchain,
      unary: (request) => {
        active();
        const pubkey = pubkeyOf(request);
        const address = withPort(String(request.address ?? ""));
        if (!/^[^:]+:\d+$/.test(address)) throw new SimRpcError(`unable to parse tower address ${request.address}`);
        const tower = node.towers.get(pubkey) ?? { pubkey, addresses: [], sessions: 0 };
        if (!tower.addresses.includes(address)) tower.addresses.push(address);
        tower.sessions = answeringTower(pubkey, tower.addresses) ? Math.max(tower.sessions, 1) : tower.sessions;
        node.towers.set(pubkey, tower);
        return {};
      },
    },
    RemoveTower: {
      permissions: WRITE.offchain,
      unary: (request) => {
        active();
        const pubkey = pubkeyOf(request);
        const tower = node.towers.get(pubkey);
        if (!tower) throw new SimRpcError("tower not found");
        const address = String(request.address ?? "");
        if (address) {
          tower.addresses = tower.addresses.filter((a) => a !== withPort(address));
          if (tower.addresses.length > 0) return {};
        }
        node.towers.delete(pubkey);
        return {};
      },
    },
    ListTowers: {
      permissions: READ.offchain,
      unary: (request) => {
        active();
        return { towers: [...node.towers.values()].map((tower) => towerMessage(tower, !!request.include_sessions)) };
      },
    },
    GetTowerInfo: {
      permissions: READ.offchain,
      unary: (request) => {
        active();
        const tower = node.towers.get(pubkeyOf(request));
        if (!tower) throw new SimRpcError("tower not found");
        return towerMessage(tower, !!request.include_sessions);
      },
    },
    Stats: {
      permissions: READ.offchain,
      unary: () => {
        active();
        const sessions = [...node.towers.values()].reduce((sum, tower) => sum + tower.sessions, 0);
        return {
          num_backups: 0,
          num_pending_backups: 0,
          num_failed_backups: 0,
          num_sessions_acquired: sessions,
          num_sessions_exhausted: 0,
        };
      },
    },
    Policy: {
      permissions: READ.offchain,
      unary: () => {
        active();
        return { max_updates: 1024, sweep_sat_per_byte: 10, sweep_sat_per_vbyte: 10 };
      },
    },
  };
}

/** watchtowerrpc.Watchtower on the node started with `--watchtower.active`. */
export function towerServerMethods(context: LndContext): Record<string, MethodSpec> {
  const { node } = context;
  return {
    GetInfo: {
      permissions: READ.info,
      unary: () => {
        if (!node.towerKeys) throw new SimRpcError("watchtower not active");
        return { pubkey: Buffer.from(node.towerKeys.publicKey, "hex"), listeners: [node.towerHost], uris: [] };
      },
    },
  };
}
