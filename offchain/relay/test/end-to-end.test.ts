// The whole relay against real peers: the node emulation with the real contracts, and the fallback lnd simulator
// served over gRPC from lnd's protos (offchain/regtest/lnd-tapd-sim). Each action is passed by vote; the relay (started
// from a config file, with its real lnd adapter) claims it, drives lnd, and writes the receipt. Checked on lnd itself:
// the channel's memo, the applied fees with inbound discounts (getFeeRates), the watchtower, the closed channel;
// and on the tapd simulators, an LV transfer from the reserve wallet (dao's tapd) to operations (contributor's).
import { Cl, serializeCV } from "@stacks/transactions";
import { getChannels, getClosedChannels, getConnectedWatchtowers, getFeeRates, getTowerServerInfo } from "lightning";
import { describe, expect, it } from "vitest";
import { unaryCall } from "../../lightning/connection/grpc-call.ts";
import { passConvictionAction, readOnly } from "../../devnet/governance.ts";
import { startIntegrationStack } from "./integration-stack.ts";
import { executeByVote, expectNothingSecretLogged, relaySuite } from "./relay-suite.ts";
import { until } from "./wait.ts";

const buf = (hex: string) => Cl.buffer(Buffer.from(hex, "hex"));
let lvAssetId = "";

const suite = relaySuite("end-to-end.test.ts", {
  start: () => startIntegrationStack("relay-e2e"),
  prepare: async ({ sim }) => {
    const mint = { daemon: "tapd" as const, action: "mint" };
    await unaryCall(
      sim.tapd.dao.mint,
      "MintAsset",
      { asset: { name: "LV", amount: "1000000", asset_type: "NORMAL" } },
      mint,
    );
    await unaryCall(sim.tapd.dao.mint, "FinalizeBatch", {}, mint);
    await sim.mine(1);
    const { assets } = await unaryCall(sim.tapd.dao.assets, "ListAssets", {}, mint);
    lvAssetId = Buffer.from(assets[0].asset_genesis.asset_id).toString("hex");
    return { lvAssetId, loop: false, http: true };
  },
  timeoutMs: 180_000,
});
const execute = async (kind: string, tuple: Parameters<typeof Cl.tuple>[0]): Promise<bigint> =>
  (await executeByVote(suite, kind, tuple)).id;

describe("relay end to end: real contracts on the node emulation, lnd simulator over gRPC", () => {
  let channelPoint = "";

  it("channel-open: propose, vote, conclude, claim, memo lvdao:<id>, funding outpoint receipt, executed", async () => {
    const id = await execute("channel-open", {
      peer: buf(suite.stack.sim.nodes.peer.pubkey),
      host: Cl.stringAscii(suite.stack.sim.nodes.peer.p2p_host),
      "local-sats": Cl.uint(2_000_000),
      "push-sats": Cl.uint(0),
      private: Cl.bool(false),
      "base-fee-msat": Cl.uint(1_500),
      "fee-ppm": Cl.uint(300),
      "cltv-delta": Cl.uint(60),
    });
    const { channels } = await getChannels({ lnd: suite.stack.sim.lnd.dao });
    const opened = channels.filter((c) => (c as { description?: string }).description === `lvdao:${id}`);
    expect(opened).toHaveLength(1);
    channelPoint = `${opened[0]!.transaction_id}:${opened[0]!.transaction_vout}`;
    expect(await readOnly(suite.stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe(
      '(ok "executed")',
    );
    const evidence = `${opened[0]!.transaction_id}${opened[0]!.transaction_vout.toString(16).padStart(8, "0")}`;
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
      `(evidence (some 0x${evidence}))`,
    );
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
    const rate = (await getFeeRates({ lnd: suite.stack.sim.lnd.dao })).channels.find(
      (c) => `${c.transaction_id}:${c.transaction_vout}` === channelPoint,
    )!;
    expect(rate).toMatchObject({
      base_fee_mtokens: "2000",
      fee_rate: 450,
      inbound_base_discount_mtokens: "500",
      inbound_rate_discount: 50,
    });
  });

  it("watchtower add: the peer's tower is in dao's watchtower client", async () => {
    const tower = await getTowerServerInfo({ lnd: suite.stack.sim.lnd.peer });
    const host = tower.tower!.sockets[0]!;
    await execute("watchtower", {
      add: Cl.bool(true),
      pubkey: buf(tower.tower!.public_key),
      host: Cl.stringAscii(host),
    });
    const { towers } = await getConnectedWatchtowers({ lnd: suite.stack.sim.lnd.dao });
    expect(towers.find((t) => t.public_key === tower.tower!.public_key)?.sockets).toContain(host);
  });

  it("channel-close: the channel closes cooperatively and the receipt carries the closing txid", async () => {
    const [txid, vout] = channelPoint.split(":") as [string, string];
    const id = await execute("channel-close", {
      txid: buf(txid),
      vout: Cl.uint(Number(vout)),
      force: Cl.bool(false),
      "max-fee-rate": Cl.uint(10),
    });
    const closed = await until("the close to confirm", async () =>
      (await getClosedChannels({ lnd: suite.stack.sim.lnd.dao })).channels.find((c) => c.transaction_id === txid),
    );
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
      `(evidence (some 0x${closed.close_transaction_id}))`,
    );
  });

  it("lv-transfer: reserve (dao) pays operations (contributor's tapd), labelled, anchor txid as evidence", async () => {
    const payload = Buffer.from(
      serializeCV(
        Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.uint(2_500) }),
      ),
      "hex",
    );
    const id = await passConvictionAction(
      suite.stack.devnet,
      "lv-transfer",
      payload,
      "move LV to operations",
      1_000_000n,
    );
    await until(
      `lv-transfer #${id} reported`,
      async () => (await suite.relay.journal.actions.get(id))?.state === "reported",
    );
    const { transfers } = await unaryCall(
      suite.stack.sim.tapd.dao.assets,
      "ListTransfers",
      {},
      { daemon: "tapd", action: "test" },
    );
    const ours = (transfers as { label: string; anchor_tx_hash: Buffer }[]).filter((t) => t.label === `lvdao:${id}`);
    expect(ours).toHaveLength(1);
    const anchorTxid = Buffer.from(ours[0]!.anchor_tx_hash).reverse().toString("hex");
    expect(suite.stack.sim.simulation.chain.tx(anchorTxid)).toBeDefined();
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
      `(evidence (some 0x${anchorTxid}))`,
    );
    const balance = await until("the contributor to hold the LV", async () => {
      const { asset_balances } = await unaryCall(
        suite.stack.sim.tapd.contributor.assets,
        "ListBalances",
        { asset_id: true },
        { daemon: "tapd", action: "test" },
      );
      return (asset_balances as Record<string, { balance: string }>)[lvAssetId]?.balance;
    });
    expect(balance).toBe("2500");
  });

  it("never logged the macaroon or the relay key", () => {
    expectNothingSecretLogged(suite, [suite.stack.sim.nodes.dao.lnd_macaroon_path]);
  });
});
