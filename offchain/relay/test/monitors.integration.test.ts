// The relay's monitors and the audit against real peers: the node emulation with the real contracts and
// the lnd/tapd simulators over gRPC. One relay runs throughout, from its config file; the flows run in order:
//   the liquidity reporter posts the node's liquidity; a fee-policy for every channel passes by vote; an over-limit
//   channel-open fails with 403 and never reaches lnd; payments routed through dao earn fees and one revenue epoch
//   mints them as LV and splits them; `lvdao audit` (the CLI, as a process) finds no drift, then catches a fee
//   changed by hand and a channel opened by hand, and `lvdao audit --metrics` publishes that drift as gauges (a
//   textfile, and its server); a pledge paid from contributor's tapd mints the pledger's GT.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Cl } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import {
  createInvoice,
  getChannelBalance,
  getFeeRates,
  getForwards,
  listAssetBalances,
  listChannels,
  openChannel,
  payInvoice,
  sendAsset,
  updateChannelPolicy,
} from "../../lightning/index.ts";
import { LV_GROUP_KEY } from "../jobs/lv-asset.ts";
import { lastEndedEpoch } from "../monitors/revenue-split.ts";
import { runLvdao, spawnLvdao } from "./cli-process.ts";
import { readOnly, send } from "../../devnet/governance.ts";
import { startIntegrationStack } from "./integration-stack.ts";
import { executeByVote, expectNothingSecretLogged, relaySuite } from "./relay-suite.ts";
import { until } from "./wait.ts";

const uints = (repr: string, field: string): bigint =>
  BigInt(new RegExp(`\\(${field} u(\\d+)\\)`).exec(repr)?.[1] ?? "-1");
let contributorChannel = "";

const suite = relaySuite("monitors.integration.test.ts", {
  start: () => startIntegrationStack("relay-monitors"),
  prepare: async ({ sim }) => {
    // contributor -> dao, so dao can forward contributor's payments to peer over the bootstrap channel.
    const funding = await openChannel({
      lnd: sim.lnd.contributor,
      peerPubkey: sim.nodes.dao.pubkey,
      localSats: 3_000_000,
      pushSats: 0,
      isPrivate: false,
      memo: "contributor -> dao",
    });
    contributorChannel = `${funding.txid}:${funding.vout}`;
    await until("the contributor's channel to open", async () =>
      (await listChannels({ lnd: sim.lnd.dao })).some(
        (c) => c.state === "open" && `${c.channel.txid}:${c.channel.vout}` === contributorChannel,
      ),
    );
    return {
      limits: { max_channel_sats: 1_500_000 },
      monitors: { revenue_epoch_blocks: 20, liquidity_report_blocks: 1_000 },
    };
  },
  timeoutMs: 180_000,
});

describe("relay monitors and audit on the node emulation and the Lightning simulators", () => {
  it("the liquidity reporter posts the node's channels and balances to liquidity-oracle", async () => {
    const report = await until("a liquidity report", async () => {
      const repr = await readOnly(suite.stack.devnet, "liquidity-oracle", "get-liquidity", []);
      return uints(repr, "channels") > 0n ? repr : undefined;
    });
    const balance = await getChannelBalance({ lnd: suite.stack.sim.lnd.dao });
    expect(uints(report, "channels")).toBe(2n);
    expect(uints(report, "outbound-sats")).toBe(BigInt(balance.localSats));
    expect(uints(report, "inbound-sats")).toBe(BigInt(balance.remoteSats));
    expect(uints(report, "onchain-sats")).toBeGreaterThan(0n);
  });

  it("a fee-policy for every channel applies to both channels", async () => {
    const { id } = await executeByVote(suite, "fee-policy", {
      target: Cl.none(),
      "base-fee-msat": Cl.uint(10_000),
      "fee-ppm": Cl.uint(5_000),
      "inbound-base-discount-msat": Cl.uint(0),
      "inbound-ppm-discount": Cl.uint(0),
      "cltv-delta": Cl.uint(40),
    });
    expect(await readOnly(suite.stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe(
      '(ok "executed")',
    );
    const open = (await listChannels({ lnd: suite.stack.sim.lnd.dao }))
      .filter((c) => c.state === "open")
      .map((c) => `${c.channel.txid}:${c.channel.vout}`);
    expect(open).toHaveLength(2);
    const rates = await getFeeRates({ lnd: suite.stack.sim.lnd.dao });
    for (const channel of open) {
      expect(rates.find((r) => `${r.channel.txid}:${r.channel.vout}` === channel)).toMatchObject({
        baseFeeMsat: 10_000n,
        feeRatePpm: 5_000,
      });
    }
  });

  it("an action over an operator limit fails with 403 and never reaches lnd", async () => {
    const calls = () =>
      ["connectPeer", "openChannel"].reduce(
        (n, method) => n + suite.relay.metrics.daemonSeconds.count({ daemon: "lnd", method }),
        0,
      );
    const before = calls();
    const { id } = await executeByVote(
      suite,
      "channel-open",
      {
        peer: Cl.buffer(Buffer.from(suite.stack.sim.nodes.peer.pubkey, "hex")),
        host: Cl.stringAscii(suite.stack.sim.nodes.peer.p2p_host),
        "local-sats": Cl.uint(2_000_000),
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
    expect((await listChannels({ lnd: suite.stack.sim.lnd.dao })).filter((c) => c.memo === `lvdao:${id}`)).toEqual([]);
  });

  it("one revenue epoch after routed payments: the fees are minted as LV and split by the allocation", async () => {
    const { sim, devnet } = suite.stack;
    // Let the sweeper catch up with the epochs the votes' burn blocks ended, so the payments land in one epoch.
    await until("the sweeper to catch up", async () => {
      const ended = lastEndedEpoch((await suite.relay.queue.tip()).burnHeight, 20);
      const latest = (await suite.relay.journal.jobs.list("epoch:")).at(-1);
      return latest !== undefined && JSON.parse(latest.value).state === "done" && BigInt(latest.key.slice(6)) === ended;
    });
    for (let i = 0; i < 3; i++) {
      const invoice = await createInvoice({ lnd: sim.lnd.peer, msat: 100_000_000n, description: `routed ${i}` });
      await payInvoice({ lnd: sim.lnd.contributor, request: invoice.request, maxFeeSats: 5_000 });
    }
    const forwards = await getForwards({ lnd: sim.lnd.dao, after: new Date(0), before: new Date(Date.now() + 1000) });
    const feesMsat = forwards.reduce((sum, f) => sum + f.feeMsat, 0n);
    expect(feesMsat).toBe(3n * 510_000n);
    // lnd keeps forwards by the second and the sweeper's windows end on a whole second, so the epoch closes in a
    // later second than the last forward: otherwise the fees would fall into the epoch after it.
    const lastForward = Math.max(...forwards.map((f) => f.at.getTime()));
    await new Promise((resolve) => setTimeout(resolve, Math.floor(lastForward / 1000) * 1000 + 1000 - Date.now()));
    await devnet.mine({ burn: 20 });
    const epochs = await until(
      "an epoch with the revenue",
      async () => {
        const found: { epoch: bigint; repr: string }[] = [];
        for (let epoch = 0n; epoch < 40n; epoch++) {
          const repr = await readOnly(devnet, "lv-ledger", "get-revenue-epoch", [Cl.uint(epoch)]);
          if (repr !== "none") found.push({ epoch, repr });
        }
        return found.some((e) => uints(e.repr, "revenue-sats") > 0n) ? found : undefined;
      },
      120_000,
    );
    const revenue = epochs.reduce((sum, e) => sum + uints(e.repr, "revenue-sats"), 0n);
    expect(revenue).toBe(feesMsat / 1000n);
    const withRevenue = epochs.find((e) => uints(e.repr, "revenue-sats") > 0n)!.repr;
    expect([
      uints(withRevenue, "to-infrastructure"),
      uints(withRevenue, "to-channels"),
      uints(withRevenue, "to-reserve"),
    ]).toEqual([153n, 918n, 459n]);
    const group = await until("the LV group key", () => suite.relay.journal.jobs.get(LV_GROUP_KEY));
    const lvOn = async (tapd: typeof sim.tapd.dao) =>
      (await listAssetBalances({ tapd, by: "group" })).find((b) => b.key === group)?.balance ?? 0n;
    await until("the shares to arrive", async () => (await lvOn(sim.tapd.contributor)) === 153n + 918n);
    expect(await lvOn(sim.tapd.dao)).toBe(459n);
  });

  it("lvdao audit finds no drift, then catches a fee changed by hand and a channel opened by hand", async () => {
    const { sim, dir } = suite.stack;
    const clean = await runLvdao(["audit", "--config", suite.configPath, "--json", join(dir, "audit-clean.json")]);
    expect(clean.stdout).toContain("no drift");
    expect(clean.code).toBe(0);

    const [txid, vout] = contributorChannel.split(":") as [string, string];
    await updateChannelPolicy({
      lnd: sim.lnd.dao,
      target: { txid, vout: Number(vout) },
      policy: {
        baseFeeMsat: 1n,
        feeRatePpm: 1,
        cltvDelta: 40,
        inboundBaseDiscountMsat: 0,
        inboundFeeRateDiscountPpm: 0,
      },
    });
    const byHand = await openChannel({
      lnd: sim.lnd.dao,
      peerPubkey: sim.nodes.contributor.pubkey,
      localSats: 500_000,
      pushSats: 0,
      isPrivate: false,
      memo: "opened by hand",
    });

    const drifted = await runLvdao(["audit", "--config", suite.configPath, "--json", join(dir, "audit-drift.json")]);
    expect(drifted.code).toBe(3);
    const report = JSON.parse(readFileSync(join(dir, "audit-drift.json"), "utf8")) as {
      drifts: { kind: string; subject: string }[];
    };
    expect(report.drifts.map((d) => [d.kind, d.subject]).sort()).toEqual([
      ["channel-not-decided", `channel ${byHand.txid}:${byHand.vout}`],
      ["policy-differs", `channel ${contributorChannel}`],
    ]);
    expect(drifted.stdout).toContain(`DRIFT policy-differs channel ${contributorChannel}`);
  }, 120_000);

  it("lvdao audit --metrics publishes that drift as gauges: once to a textfile, and from its server", async () => {
    const { dir } = suite.stack;
    const textfile = join(dir, "lvdao-audit.prom");
    const once = await runLvdao(["audit", "--config", suite.configPath, "--metrics", "--textfile", textfile]);
    expect(once.code).toBe(3);
    const drift = (text: string) =>
      text
        .split("\n")
        .filter((l) => l.startsWith("lvdao_audit_drift{") && !l.endsWith(" 0"))
        .sort();
    expect(drift(readFileSync(textfile, "utf8"))).toEqual([
      'lvdao_audit_drift{check="channel-not-decided"} 1',
      'lvdao_audit_drift{check="policy-differs"} 1',
    ]);

    const served = spawnLvdao(["audit", "--config", suite.configPath, "--metrics", "--listen", "127.0.0.1:0"]);
    try {
      const url = await until(
        "the audit metrics server",
        async () => /audit metrics: (http:\/\/\S+\/metrics)/.exec(served.output())?.[1],
      );
      const scraped = await until("the first audit run", async () => {
        const text = await (await fetch(url)).text();
        return text.split("\n").includes("lvdao_audit_up 1") ? text : undefined;
      });
      expect(drift(scraped)).toEqual(drift(readFileSync(textfile, "utf8")));
    } finally {
      served.child.kill("SIGTERM");
    }
    expect(await served.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  it("a pledge paid from contributor's tapd confirms the contribution and mints the pledger's GT", async () => {
    const { sim, devnet } = suite.stack;
    const pledger = devnet.account("wallet_5").address;
    const gtBefore = uints(await readOnly(devnet, "gt-token", "get-balance", [Cl.principal(pledger)]), "ok");
    const created = await send(devnet, "wallet_5", "lv-ledger", "pledge", [Cl.uint(100)]);
    const pledgeId = BigInt(/u(\d+)/.exec(created)![1]!);
    const address = await until(
      "the pledge's address",
      async () =>
        /\(tap-addr \(some "([^"]+)"\)\)/.exec(
          await readOnly(devnet, "lv-ledger", "get-pledge", [Cl.uint(pledgeId)]),
        )?.[1],
    );
    await sendAsset({ tapd: sim.tapd.contributor, addresses: [address], label: "my pledge" });
    await until(
      "the contribution to be confirmed",
      async () => (await readOnly(devnet, "lv-ledger", "get-pledge", [Cl.uint(pledgeId)])).includes("(confirmed (some"),
      60_000,
    );
    const pledge = await readOnly(devnet, "lv-ledger", "get-pledge", [Cl.uint(pledgeId)]);
    expect(uints(pledge, "gt-minted")).toBe(100n);
    const gtAfter = uints(await readOnly(devnet, "gt-token", "get-balance", [Cl.principal(pledger)]), "ok");
    expect(gtAfter - gtBefore).toBe(100n);
  });

  it("never logged a macaroon or the relay key", () => {
    const { nodes } = suite.stack.sim;
    expectNothingSecretLogged(suite, [
      nodes.dao.tapd_macaroon_path!,
      nodes.contributor.tapd_macaroon_path!,
      nodes.dao.lnd_macaroon_path!,
    ]);
  });
});
