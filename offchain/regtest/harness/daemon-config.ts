// Where each regtest daemon keeps its files and how it is configured. Settings go into each daemon's own config
// file (so the btcd RPC password never appears on a command line); the flags chosen make regtest fast: one
// confirmation opens a channel, gossip is trickled every 50 ms, wallets are created without a seed, and nothing
// bootstraps from the internet. Tapd's proof courier and universe federation server is the `dao` tapd.
import { join } from "node:path";

export type NodeName = "dao" | "peer" | "contributor";
export const NODE_NAMES: NodeName[] = ["dao", "peer", "contributor"];
export const TAPD_NODES = ["dao", "contributor"] as const;
/** `peer` gets a tapd only on request (RegtestOptions.peerTapd): the machines demo's second robot node. */
export type TapdNodeName = (typeof TAPD_NODES)[number] | "peer";

export interface Ports {
  btcdRpc: number;
  lnd: Record<NodeName, { grpc: number; p2p: number }>;
  tower: number;
  tapd: Record<TapdNodeName, number>;
  loop: number;
}

export const PORT_COUNT = 1 + 3 * 2 + 1 + 3 + 1;

export function assignPorts(ports: number[]): Ports {
  const next = () => {
    const port = ports.shift();
    if (port === undefined) throw new Error("not enough free ports");
    return port;
  };
  return {
    btcdRpc: next(),
    lnd: {
      dao: { grpc: next(), p2p: next() },
      peer: { grpc: next(), p2p: next() },
      contributor: { grpc: next(), p2p: next() },
    },
    tower: next(),
    tapd: { dao: next(), contributor: next(), peer: next() },
    loop: next(),
  };
}

export interface BtcdLayout {
  dir: string;
  configPath: string;
  certPath: string;
  keyPath: string;
  passwordPath: string;
  faucetKeyPath: string;
  logPath: string;
}

export const btcdLayout = (root: string): BtcdLayout => {
  const dir = join(root, "bitcoin");
  return {
    dir,
    configPath: join(dir, "btcd.conf"),
    certPath: join(dir, "rpc.cert"),
    keyPath: join(dir, "rpc.key"),
    passwordPath: join(dir, "rpc.password"),
    faucetKeyPath: join(dir, "faucet.key"),
    logPath: join(root, "logs", "btcd.log"),
  };
};

export const RPC_USER = "lvdao";

export function btcdConfig(
  layout: BtcdLayout,
  rpcPort: number,
  password: string,
  miningAddress: string,
): { config: string; args: string[] } {
  const config = [
    "[Application Options]",
    "regtest=1",
    `datadir=${join(layout.dir, "data")}`,
    `logdir=${join(layout.dir, "logs")}`,
    `rpcuser=${RPC_USER}`,
    `rpcpass=${password}`,
    `rpclisten=127.0.0.1:${rpcPort}`,
    `rpccert=${layout.certPath}`,
    `rpckey=${layout.keyPath}`,
    // No peer-to-peer listener: lnd follows btcd over RPC websockets, and nothing else connects.
    "nolisten=1",
    "txindex=1",
    // The vault's coins and history are found by address (searchrawtransactions), which needs the address index.
    "addrindex=1",
    `miningaddr=${miningAddress}`,
    // Accept the low-fee transactions lnd and tapd make on regtest without priority rules.
    "norelaypriority=1",
    "debuglevel=info",
  ].join("\n");
  return { config: `${config}\n`, args: [`--configfile=${layout.configPath}`] };
}

export interface LndLayout {
  dir: string;
  configPath: string;
  certPath: string;
  macaroonPath: string;
  logPath: string;
}

export const lndLayout = (root: string, name: NodeName): LndLayout => {
  const dir = join(root, name, "lnd");
  return {
    dir,
    configPath: join(dir, "lnd.conf"),
    certPath: join(dir, "tls.cert"),
    macaroonPath: join(dir, "data", "chain", "bitcoin", "regtest", "admin.macaroon"),
    logPath: join(root, "logs", `lnd-${name}.log`),
  };
};

export function lndConfig(
  name: NodeName,
  layout: LndLayout,
  ports: Ports,
  btcd: BtcdLayout,
  password: string,
): { config: string; args: string[] } {
  const own = ports.lnd[name];
  const lines = [
    "[Application Options]",
    `alias=lvdao-${name}`,
    `rpclisten=127.0.0.1:${own.grpc}`,
    `listen=127.0.0.1:${own.p2p}`,
    `externalip=127.0.0.1:${own.p2p}`,
    "norest=1",
    "noseedbackup=1",
    "nobootstrap=1",
    "accept-keysend=1",
    "debuglevel=info",
    "trickledelay=50",
    "maxpendingchannels=20",
    "tlsextraip=127.0.0.1",
    "",
    "[Bitcoin]",
    "bitcoin.regtest=1",
    "bitcoin.node=btcd",
    "bitcoin.defaultchanconfs=1",
    "bitcoin.defaultremotedelay=4",
    "",
    "[Btcd]",
    `btcd.rpchost=127.0.0.1:${ports.btcdRpc}`,
    `btcd.rpcuser=${RPC_USER}`,
    `btcd.rpcpass=${password}`,
    `btcd.rpccert=${btcd.certPath}`,
    "",
    "[db]",
    "db.batch-commit-interval=10ms",
    "",
    "[gossip]",
    "gossip.sub-batch-delay=5ms",
    "",
    "[caches]",
    "caches.rpc-graph-cache-duration=100ms",
  ];
  if (name === "peer")
    lines.push(
      "",
      "[watchtower]",
      "watchtower.active=1",
      `watchtower.listen=127.0.0.1:${ports.tower}`,
      `watchtower.externalip=127.0.0.1:${ports.tower}`,
    );
  if (name === "dao") lines.push("", "[wtclient]", "wtclient.active=1");
  // tapd's RFQ gives each accepted quote an SCID alias on a channel with the peer, and lnd adds a local alias
  // (XAddLocalChanAliases) only to a channel that negotiated option-scid-alias: without it the DAO's tapd fails
  // to send its accept ("base scid ... not found") and the asking peer times out.
  if (name === "dao" || name === "contributor") lines.push("", "[protocol]", "protocol.option-scid-alias=1");
  return { config: `${lines.join("\n")}\n`, args: [`--lnddir=${layout.dir}`, `--configfile=${layout.configPath}`] };
}

export interface TapdLayout {
  dir: string;
  configPath: string;
  certPath: string;
  macaroonPath: string;
  logPath: string;
}

export const tapdLayout = (root: string, name: TapdNodeName): TapdLayout => {
  const dir = join(root, name, "tapd");
  return {
    dir,
    configPath: join(dir, "tapd.conf"),
    certPath: join(dir, "tls.cert"),
    macaroonPath: join(dir, "data", "regtest", "admin.macaroon"),
    logPath: join(root, "logs", `tapd-${name}.log`),
  };
};

export function tapdConfig(
  name: TapdNodeName,
  layout: TapdLayout,
  lnd: LndLayout,
  ports: Ports,
  extra: string[] = [],
): { config: string; args: string[] } {
  const courier = `127.0.0.1:${ports.tapd.dao}`;
  const lines = [
    "[Application Options]",
    "network=regtest",
    "debuglevel=info",
    `rpclisten=127.0.0.1:${ports.tapd[name]}`,
    "norest=1",
    "tlsextraip=127.0.0.1",
    `proofcourieraddr=universerpc://${courier}`,
    // Serve proofs to the other tapd through the universe RPCs without a macaroon (it has none of ours).
    "allow-public-uni-proof-courier=1",
    "",
    "[lnd]",
    `lnd.host=127.0.0.1:${ports.lnd[name].grpc}`,
    `lnd.macaroonpath=${lnd.macaroonPath}`,
    `lnd.tlspath=${lnd.certPath}`,
    "",
    "[universe]",
    "universe.public-access=rw",
    "universe.sync-all-assets=1",
  ];
  if (name !== "dao") lines.push(`universe.federationserver=${courier}`);
  // A test's own settings (for example an [experimental] section with the RFQ price oracle) go last.
  if (extra.length > 0) lines.push("", ...extra);
  return { config: `${lines.join("\n")}\n`, args: [`--tapddir=${layout.dir}`, `--configfile=${layout.configPath}`] };
}
