// The relay against the REAL Lightning daemons (btcd, lnd, tapd from offchain/regtest/harness/index.ts) and the real
// contracts on the node emulation. Each action is passed by vote (signed propose, votes, conclude); the relay,
// started from a config file with its real lnd adapter, claims it, drives dao's lnd and writes the receipt.
// Checked on lnd itself: the channel's memo and funding outpoint, the fees with inbound discounts (getFeeRates),
// the cooperative close and its closing txid as evidence, peer's real watchtower, and an over-limit action that
// fails 403 without any lnd call; `lvdao audit` (the CLI process) catches a fee changed with the real lncli and a
// channel opened by hand; a voted loop-out runs through the loopd simulator over the real lnd.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Cl } from "@stacks/transactions";
import { createAddress, connectLoop, listSwaps } from "../../lightning/index.ts";
import { getChannels, getClosedChannels, getConnectedWatchtowers, getFeeRates, getTowerServerInfo } from "lightning";
import { describe, expect, it } from "vitest";
import { findBinaries } from "../../regtest/harness/binaries.ts";
import { runLvdao } from "./cli-process.ts";
import { readOnly } from "../../devnet/governance.ts";
import { startRegtestRelayStack } from "./regtest-stack.ts";
import { executeByVote, expectNothingSecretLogged, relaySuite } from "./relay-suite.ts";
import { until } from "./wait.ts";

const buf = (hex: string) => Cl.buffer(Buffer.from(hex, "hex"));
const suite = relaySuite("relay.regtest.test.ts", {
  start: () => startRegtestRelayStack("relay-regtest"),
  prepare: () => ({ limits: { max_channel_sats: 3_000_000 } }),
});
const execute = async (
  kind: string,
  tuple: Parameters<typeof Cl.tuple>[0],
  expected: "success" | "failure" = "success",
): Promise<bigint> => (await executeByVote(suite, kind, tuple, expected)).id;

/** The real lncli against dao's lnd, as an operator would run it by hand. */
function lncli(...args: string[]): string {
  const dao = suite.stack.lightning.nodes.dao;
  const flags = [
    "--network=regtest",
    `--rpcserver=${dao.lnd_socket}`,
    `--tlscertpath=${dao.lnd_cert_path!}`,
    `--macaroonpath=${dao.lnd_macaroon_path!}`,
  ];
  return execFileSync(findBinaries().lncli, [...flags, ...args], { encoding: "utf8" });
}

describe("relay against real lnd on regtest", () => {
  let channelPoint = "";

  it("channel-open: voted, claimed, opened with memo lvdao:<id>, funding outpoint receipt, executed", async () => {
    const peer = suite.stack.lightning.nodes.peer;
    const id = await execute("channel-open", {
      peer: buf(peer.pubkey),
      host: Cl.stringAscii(peer.p2p_host),
      "local-sats": Cl.uint(2_000_000),
      "push-sats": Cl.uint(0),
      private: Cl.bool(false),
      "base-fee-msat": Cl.uint(1_500),
      "fee-ppm": Cl.uint(300),
      "cltv-delta": Cl.uint(60),
    });
    const opened = await until(
      "the channel to be active",
      async () => {
        const { channels } = await getChannels({ lnd: suite.stack.lightning.lnd.dao });
        const ours = channels.filter((c) => (c as { description?: string }).description === `lvdao:${id}`);
        return ours.length > 0 ? ours : undefined;
      },
      60_000,
    );
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

  it("fee-policy with inbound discounts on that channel, read back from lnd with getFeeRates", async () => {
    const [txid, vout] = channelPoint.split(":") as [string, string];
    await execute("fee-policy", {
      target: Cl.some(Cl.tuple({ txid: buf(txid), vout: Cl.uint(Number(vout)) })),
      "base-fee-msat": Cl.uint(2_000),
      "fee-ppm": Cl.uint(450),
      "inbound-base-discount-msat": Cl.uint(500),
      "inbound-ppm-discount": Cl.uint(50),
      "cltv-delta": Cl.uint(80),
    });
    const rate = (await getFeeRates({ lnd: suite.stack.lightning.lnd.dao })).channels.find(
      (c) => `${c.transaction_id}:${c.transaction_vout}` === channelPoint,
    )!;
    expect(rate).toMatchObject({
      base_fee_mtokens: "2000",
      fee_rate: 450,
      inbound_base_discount_mtokens: "500",
      inbound_rate_discount: 50,
    });
  });

  it("lvdao audit finds no drift, then catches a fee changed with lncli and a channel opened by hand", async () => {
    const clean = await runLvdao([
      "audit",
      "--config",
      suite.configPath,
      "--json",
      join(suite.stack.dir, "audit-clean.json"),
    ]);
    expect(clean.stdout).toContain("no drift");
    expect(clean.code).toBe(0);
    lncli(
      "updatechanpolicy",
      "--base_fee_msat=1",
      "--fee_rate_ppm=1",
      "--time_lock_delta=40",
      `--chan_point=${channelPoint}`,
    );
    const opened = JSON.parse(
      lncli("openchannel", `--node_key=${suite.stack.lightning.nodes.peer.pubkey}`, "--local_amt=500000"),
    ) as { funding_txid: string };
    const byHand = await until(
      "the hand-opened channel to be open",
      async () => {
        const { channels } = await getChannels({ lnd: suite.stack.lightning.lnd.dao });
        return channels.find((c) => c.transaction_id === opened.funding_txid);
      },
      60_000,
    );
    const drifted = await runLvdao([
      "audit",
      "--config",
      suite.configPath,
      "--json",
      join(suite.stack.dir, "audit-drift.json"),
    ]);
    expect(drifted.code).toBe(3);
    const report = JSON.parse(readFileSync(join(suite.stack.dir, "audit-drift.json"), "utf8")) as {
      drifts: { kind: string; subject: string }[];
    };
    expect(report.drifts.map((d) => [d.kind, d.subject]).sort()).toEqual([
      ["channel-not-decided", `channel ${byHand.transaction_id}:${byHand.transaction_vout}`],
      ["policy-differs", `channel ${channelPoint}`],
    ]);
  }, 120_000);

  it("channel-close: the channel closes cooperatively and the receipt carries the closing txid", async () => {
    const [txid, vout] = channelPoint.split(":") as [string, string];
    const id = await execute("channel-close", {
      txid: buf(txid),
      vout: Cl.uint(Number(vout)),
      force: Cl.bool(false),
      "max-fee-rate": Cl.uint(10),
    });
    const closed = await until(
      "the close to confirm",
      async () =>
        (await getClosedChannels({ lnd: suite.stack.lightning.lnd.dao })).channels.find(
          (c) => c.transaction_id === txid,
        ),
      60_000,
    );
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
      `(evidence (some 0x${closed.close_transaction_id}))`,
    );
  });

  it("watchtower add: peer's real tower is in dao's watchtower client", async () => {
    const tower = await getTowerServerInfo({ lnd: suite.stack.lightning.lnd.peer });
    const host = tower.tower!.sockets[0]!;
    await execute("watchtower", {
      add: Cl.bool(true),
      pubkey: buf(tower.tower!.public_key),
      host: Cl.stringAscii(host),
    });
    const { towers } = await getConnectedWatchtowers({ lnd: suite.stack.lightning.lnd.dao });
    expect(towers.find((t) => t.public_key === tower.tower!.public_key)?.sockets).toContain(host);
  });

  it("an action over an operator limit fails with 403 and never reaches lnd", async () => {
    const calls = () =>
      ["connectPeer", "openChannel"].reduce(
        (n, method) => n + suite.relay.metrics.daemonSeconds.count({ daemon: "lnd", method }),
        0,
      );
    const before = calls();
    const peer = suite.stack.lightning.nodes.peer;
    const id = await execute(
      "channel-open",
      {
        peer: buf(peer.pubkey),
        host: Cl.stringAscii(peer.p2p_host),
        "local-sats": Cl.uint(5_000_000),
        "push-sats": Cl.uint(0),
        private: Cl.bool(false),
        "base-fee-msat": Cl.uint(1_000),
        "fee-ppm": Cl.uint(100),
        "cltv-delta": Cl.uint(40),
      },
      "failure",
    );
    expect(await readOnly(suite.stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "failed")');
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
      "(failure-code (some u403))",
    );
    expect(calls()).toBe(before);
    const { channels } = await getChannels({ lnd: suite.stack.lightning.lnd.dao });
    expect(channels.filter((c) => (c as { description?: string }).description === `lvdao:${id}`)).toEqual([]);
  });

  it("loop-out: voted, via the loopd simulator over real lnd, labelled lvdao:<id>, swap hash as evidence", async () => {
    const loop = connectLoop(suite.stack.lightning.loop);
    const dest = await createAddress({ lnd: suite.stack.lightning.lnd.dao, format: "p2wpkh" });
    const id = await execute("loop-out", {
      "amount-sats": Cl.uint(300_000),
      channel: Cl.none(),
      dest: Cl.stringAscii(dest),
      "max-fee-sats": Cl.uint(10_000),
    });
    const swaps = await listSwaps({ loop, label: `lvdao:${id}` });
    expect(swaps).toHaveLength(1);
    expect(swaps[0]).toMatchObject({ type: "LOOP_OUT", amountSats: 300_000 });
    expect(await readOnly(suite.stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe(
      '(ok "executed")',
    );
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
      `(evidence (some 0x${swaps[0]!.id}))`,
    );
    await until(
      "the swap to succeed",
      async () => (await listSwaps({ loop, label: `lvdao:${id}` }))[0]?.state === "SUCCESS",
      60_000,
    );
  });

  it("never logged the macaroon or the relay key", () => {
    expectNothingSecretLogged(suite, [suite.stack.lightning.nodes.dao.lnd_macaroon_path!]);
  });
});
