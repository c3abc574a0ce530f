// The whole relay against real peers: the node emulation with the real contracts, and the fallback lnd simulator
// served over gRPC from lnd's protos (offchain/regtest/sim). Each action is passed by vote; the relay (started from
// a config file, with its real lnd adapter) claims it, drives lnd, and writes the receipt. Checked on lnd itself:
// the channel's memo, the applied fees with inbound discounts (getFeeRates), the watchtower, the closed channel;
// and on the tapd simulators, an LV transfer from the reserve wallet (dao's tapd) to operations (contributor's).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cl, serializeCV } from "@stacks/transactions";
import { getChannels, getClosedChannels, getConnectedWatchtowers, getFeeRates, getTowerServerInfo } from "lightning";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { unaryCall } from "../../lightning/connection/grpc-call.ts";
import { startSimulators, type SimulatorHandle } from "../../regtest/sim/index.ts";
import { loadConfig } from "../config.ts";
import { memoryLogger } from "../log.ts";
import { startRelay, type RelayRuntime } from "../start.ts";
import { until } from "./wait.ts";
import { DEPLOYER, passAction, passConvictionAction, readOnly } from "./governance.ts";

const REPO = resolve(import.meta.dirname, "../../..");
const buf = (hex: string) => Cl.buffer(Buffer.from(hex, "hex"));

let dir: string;
let devnet: Devnet;
let sim: SimulatorHandle;
let relay: RelayRuntime;
let lvAssetId = "";
const log = memoryLogger();


async function execute(kind: string, tuple: Parameters<typeof Cl.tuple>[0]): Promise<bigint> {
  const id = await passAction(devnet, kind, Buffer.from(serializeCV(Cl.tuple(tuple)), "hex"), `${kind} via the relay`);
  await until(`${kind} #${id} reported`, async () => (await relay.journal.actions.get(id))?.state === "reported");
  return id;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-relay-e2e-"));
  devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
  sim = await startSimulators({ stateDir: join(dir, "sim"), channelConfirmations: 1, blockIntervalMs: 200 });
  const dao = sim.nodes.dao;
  const contributor = sim.nodes.contributor;
  const mint = { daemon: "tapd" as const, action: "mint" };
  await unaryCall(sim.tapd.dao.mint, "MintAsset", { asset: { name: "LV", amount: "1000000", asset_type: "NORMAL" } }, mint);
  await unaryCall(sim.tapd.dao.mint, "FinalizeBatch", {}, mint);
  await sim.mine(1);
  const { assets } = await unaryCall(sim.tapd.dao.assets, "ListAssets", {}, mint);
  lvAssetId = Buffer.from(assets[0].asset_genesis.asset_id).toString("hex");
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
  writeFileSync(
    join(dir, "relay.toml"),
    [
      "[stacks]",
      `api_url = "${devnet.url}"`,
      `deployer = "${DEPLOYER}"`,
      'relay_key_file = "relay.key"',
      "poll_interval_ms = 100",
      "[lnd]",
      `socket = "${dao.lnd_socket}"`,
      `cert_file = "${dao.lnd_cert_path}"`,
      `macaroon_file = "${dao.lnd_macaroon_path}"`,
      "[tapd]",
      `socket = "${dao.tapd_socket}"`,
      `cert_file = "${dao.tapd_cert_path}"`,
      `macaroon_file = "${dao.tapd_macaroon_path}"`,
      "[tapd_wallets.operations]",
      `socket = "${contributor.tapd_socket}"`,
      `cert_file = "${contributor.tapd_cert_path}"`,
      `macaroon_file = "${contributor.tapd_macaroon_path}"`,
      "[lv]",
      `asset_id = "${lvAssetId}"`,
      "[journal]",
      'sqlite_path = "relay.db"',
      "[executor]",
      "poll_interval_ms = 100",
      "retry_backoff_ms = 100",
      "[http]",
      'listen = "127.0.0.1:0"',
      "[log]",
      'level = "debug"',
    ].join("\n"),
  );
  const { config, secrets } = loadConfig(join(dir, "relay.toml"), {});
  relay = await startRelay(config, { secrets, logSink: (line) => log.lines.push(line) });
}, 180_000);

afterAll(async () => {
  await relay?.stop();
  await sim?.stop();
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("relay end to end: real contracts on the node emulation, lnd simulator over gRPC", () => {
  let channelPoint = "";

  it("channel-open: propose, vote, conclude, claim, channel opened on dao with memo lvdao:<id>, receipt with the funding outpoint, executed", async () => {
    const id = await execute("channel-open", {
      peer: buf(sim.nodes.peer.pubkey),
      host: Cl.stringAscii(sim.nodes.peer.p2p_host),
      "local-sats": Cl.uint(2_000_000),
      "push-sats": Cl.uint(0),
      private: Cl.bool(false),
      "base-fee-msat": Cl.uint(1_500),
      "fee-ppm": Cl.uint(300),
      "cltv-delta": Cl.uint(60),
    });
    const { channels } = await getChannels({ lnd: sim.lnd.dao });
    const opened = channels.filter((c) => (c as { description?: string }).description === `lvdao:${id}`);
    expect(opened).toHaveLength(1);
    channelPoint = `${opened[0]!.transaction_id}:${opened[0]!.transaction_vout}`;
    expect(await readOnly(devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');
    const evidence = `${opened[0]!.transaction_id}${opened[0]!.transaction_vout.toString(16).padStart(8, "0")}`;
    expect(await readOnly(devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(`(evidence (some 0x${evidence}))`);
  });

  it("fee-policy with inbound discounts on that channel, read back with getFeeRates", async () => {
    const [txid, vout] = channelPoint.split(":") as [string, string];
    await execute("fee-policy", {
      target: Cl.some(Cl.tuple({ txid: buf(txid), vout: Cl.uint(Number(vout)) })),
      "base-fee-msat": Cl.uint(2_000),
      "fee-ppm": Cl.uint(450),
      "inbound-base-discount-msat": Cl.uint(500),
      "inbound-ppm-discount": Cl.uint(50),
      "cltv-delta": Cl.uint(80),
    });
    const rate = (await getFeeRates({ lnd: sim.lnd.dao })).channels.find((c) => `${c.transaction_id}:${c.transaction_vout}` === channelPoint)!;
    expect(rate).toMatchObject({ base_fee_mtokens: "2000", fee_rate: 450, inbound_base_discount_mtokens: "500", inbound_rate_discount: 50 });
  });

  it("watchtower add: the peer's tower is in dao's watchtower client", async () => {
    const tower = await getTowerServerInfo({ lnd: sim.lnd.peer });
    const host = tower.tower!.sockets[0]!;
    await execute("watchtower", { add: Cl.bool(true), pubkey: buf(tower.tower!.public_key), host: Cl.stringAscii(host) });
    const { towers } = await getConnectedWatchtowers({ lnd: sim.lnd.dao });
    expect(towers.find((t) => t.public_key === tower.tower!.public_key)?.sockets).toContain(host);
  });

  it("channel-close: the channel closes cooperatively and the receipt carries the closing txid", async () => {
    const [txid, vout] = channelPoint.split(":") as [string, string];
    const id = await execute("channel-close", { txid: buf(txid), vout: Cl.uint(Number(vout)), force: Cl.bool(false), "max-fee-rate": Cl.uint(10) });
    const closed = await until("the close to confirm", async () => (await getClosedChannels({ lnd: sim.lnd.dao })).channels.find((c) => c.transaction_id === txid));
    expect(await readOnly(devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(`(evidence (some 0x${closed.close_transaction_id}))`);
  });

  it("lv-transfer: reserve (dao's tapd) sends to an operations address (contributor's tapd), labelled, anchor txid as evidence", async () => {
    const payload = Buffer.from(serializeCV(Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.uint(2_500) })), "hex");
    const id = await passConvictionAction(devnet, "lv-transfer", payload, "move LV to operations", 1_000_000n);
    await until(`lv-transfer #${id} reported`, async () => (await relay.journal.actions.get(id))?.state === "reported");
    const { transfers } = await unaryCall(sim.tapd.dao.assets, "ListTransfers", {}, { daemon: "tapd", action: "test" });
    const ours = (transfers as { label: string; anchor_tx_hash: Buffer }[]).filter((t) => t.label === `lvdao:${id}`);
    expect(ours).toHaveLength(1);
    const anchorTxid = Buffer.from(ours[0]!.anchor_tx_hash).reverse().toString("hex");
    expect(sim.simulation.chain.tx(anchorTxid)).toBeDefined();
    expect(await readOnly(devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(`(evidence (some 0x${anchorTxid}))`);
    const balance = await until("the contributor to hold the LV", async () => {
      const { asset_balances } = await unaryCall(sim.tapd.contributor.assets, "ListBalances", { asset_id: true }, { daemon: "tapd", action: "test" });
      return (asset_balances as Record<string, { balance: string }>)[lvAssetId]?.balance;
    });
    expect(balance).toBe("2500");
  });

  it("never logged the macaroon or the relay key", () => {
    const text = log.lines.join("\n");
    expect(log.lines.length).toBeGreaterThan(10);
    expect(text).not.toContain(readFileSync(sim.nodes.dao.lnd_macaroon_path).toString("hex"));
    expect(text).not.toContain(devnet.account("wallet_6").privateKey);
  });
});
