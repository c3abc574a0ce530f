// The relay-facing calls against the fallback simulators (real gRPC, TLS and macaroons; simulated daemons), plus
// the failure paths the relay's retry logic depends on. The same scenario runs on real daemons in
// relay-calls.regtest.test.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulators, type SimulatorHandle } from "../regtest/lnd-tapd-sim/index.ts";
import * as L from "./index.ts";
import { runRelayScenario } from "./test/relay-scenario.ts";

let sim: SimulatorHandle;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "lvdao-sim-"));
  sim = await startSimulators({ stateDir });
});

afterAll(async () => {
  await sim?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe("relay-facing calls on the simulators", () => {
  it("runs the whole relay scenario: channel, policy, payments, forwards, towers, close, LV", async () => {
    const answers = await runRelayScenario({ mode: "simulator", stack: sim.stack, mine: sim.mine });
    expect(answers.get("getNodeInfo")).toMatchObject({
      alias: "dao (lvdao simulator)",
      version: expect.stringContaining("lvdao-simulator"),
    });
  });

  it("charges the routing fee dao's policy sets, inbound discount included, recorded as dao's forward", async () => {
    const { dao, peer, contributor } = sim.lnd;
    const daoPeer = (await L.scanLiquidity({ lnd: dao })).channels.filter(
      (c) => c.peerPubkey === sim.nodes.peer.pubkey && c.isActive,
    );
    const incoming = (await L.scanLiquidity({ lnd: dao })).channels.find(
      (c) => c.peerPubkey === sim.nodes.contributor.pubkey && c.isActive,
    );
    expect(incoming).toBeDefined();
    // Same outbound fee on every dao -> peer channel, and a discount on the channel the payment arrives by.
    await L.updateChannelPolicy({
      lnd: dao,
      target: "all",
      policy: {
        baseFeeMsat: 2000n,
        feeRatePpm: 500,
        cltvDelta: 40,
        inboundBaseDiscountMsat: 0,
        inboundFeeRateDiscountPpm: 0,
      },
    });
    const discounted = await L.updateChannelPolicy({
      lnd: dao,
      target: incoming!.channel,
      policy: {
        baseFeeMsat: 2000n,
        feeRatePpm: 500,
        cltvDelta: 40,
        inboundBaseDiscountMsat: 700,
        inboundFeeRateDiscountPpm: 100,
      },
    });
    // What the channel had before this update (the policy for every channel just above), to put it back with.
    expect(discounted.replaced).toEqual([
      expect.objectContaining({ channel: incoming!.channel, baseFeeMsat: 2000n, feeRatePpm: 500, cltvDelta: 40 }),
    ]);
    expect(discounted.applied).toEqual([
      expect.objectContaining({ inboundBaseFeeMsat: -700, inboundFeeRatePpm: -100 }),
    ]);
    const before = await L.getForwards({ lnd: dao, after: new Date(0), before: new Date(Date.now() + 60_000) });
    const invoice = await L.createInvoice({ lnd: peer, msat: 50_000_000n, description: "fee check" });
    const paid = await L.payInvoice({ lnd: contributor, request: invoice.request, maxFeeSats: 100 });
    // outbound 2000 + 50,000,000 * 500 / 1e6 = 27,000;
    // inbound -(700 + 77,000,000... ) -> -700 - (50,027,000 * 100 / 1e6 = 5,002) = -5,702.
    expect(paid.feeMsat).toBe(27_000n - 5_702n);
    const after = await L.getForwards({ lnd: dao, after: new Date(0), before: new Date(Date.now() + 60_000) });
    expect(after.length).toBe(before.length + 1);
    expect(after[after.length - 1]?.feeMsat).toBe(paid.feeMsat);
    expect(daoPeer.length).toBeGreaterThan(0);
  });

  it("moves a payment's amount on both sides of the channel", async () => {
    const peerSide = async () => (await L.getChannelBalance({ lnd: sim.lnd.peer })).localMsat;
    const daoSide = async () => (await L.getChannelBalance({ lnd: sim.lnd.dao })).localMsat;
    const [peerBefore, daoBefore] = [await peerSide(), await daoSide()];
    const invoice = await L.createInvoice({ lnd: sim.lnd.dao, msat: 7_000_000n, description: "both sides" });
    await L.payInvoice({ lnd: sim.lnd.peer, request: invoice.request, maxFeeSats: 0 });
    expect(await peerSide()).toBe(peerBefore - 7_000_000n);
    expect(await daoSide()).toBe(daoBefore + 7_000_000n);
  });

  it("force-closes: the closer waits out the CSV delay, the other side sees the channel closed at once", async () => {
    const { dao, peer } = sim.lnd;
    const funding = await L.openChannel({
      lnd: dao,
      peerPubkey: sim.nodes.peer.pubkey,
      localSats: 300_000,
      pushSats: 50_000,
      isPrivate: true,
      memo: "lvdao:force",
    });
    await sim.mine(3);
    const closing = await L.closeChannel({ lnd: dao, channel: funding, force: true, maxFeeRate: 1 });
    await sim.mine(1);
    expect((await L.findChannel({ lnd: peer, channel: funding }))?.state).toBe("closed");
    expect((await L.findChannel({ lnd: dao, channel: funding }))?.state).toBe("closing");
    await sim.mine(145);
    await sim.mine(1);
    const closed = await L.findChannel({ lnd: dao, channel: funding });
    expect(closed).toMatchObject({ state: "closed", closingTxid: closing.closingTxid });
  });

  it("refuses bad input before calling lnd, with INVALID_ARGUMENT and not retryable", async () => {
    const cases: Array<[string, () => Promise<unknown>]> = [
      [
        "peer key",
        () =>
          L.openChannel({
            lnd: sim.lnd.dao,
            peerPubkey: "04" + "00".repeat(32),
            localSats: 100_000,
            pushSats: 0,
            isPrivate: false,
            memo: "lvdao:1",
          }),
      ],
      [
        "channel size",
        () =>
          L.openChannel({
            lnd: sim.lnd.dao,
            peerPubkey: sim.nodes.peer.pubkey,
            localSats: 19_999,
            pushSats: 0,
            isPrivate: false,
            memo: "lvdao:1",
          }),
      ],
      [
        "push above local",
        () =>
          L.openChannel({
            lnd: sim.lnd.dao,
            peerPubkey: sim.nodes.peer.pubkey,
            localSats: 50_000,
            pushSats: 50_000,
            isPrivate: false,
            memo: "lvdao:1",
          }),
      ],
      [
        "memo length",
        () =>
          L.openChannel({
            lnd: sim.lnd.dao,
            peerPubkey: sim.nodes.peer.pubkey,
            localSats: 50_000,
            pushSats: 0,
            isPrivate: false,
            memo: "x".repeat(501),
          }),
      ],
      [
        "cltv delta",
        () =>
          L.updateChannelPolicy({
            lnd: sim.lnd.dao,
            target: "all",
            policy: {
              baseFeeMsat: 0n,
              feeRatePpm: 1,
              cltvDelta: 17,
              inboundBaseDiscountMsat: 0,
              inboundFeeRateDiscountPpm: 0,
            },
          }),
      ],
      [
        "negative discount",
        () =>
          L.updateChannelPolicy({
            lnd: sim.lnd.dao,
            target: "all",
            policy: {
              baseFeeMsat: 0n,
              feeRatePpm: 1,
              cltvDelta: 40,
              inboundBaseDiscountMsat: -1,
              inboundFeeRateDiscountPpm: 0,
            },
          }),
      ],
      [
        "close fee rate",
        () =>
          L.closeChannel({
            lnd: sim.lnd.dao,
            channel: { txid: "00".repeat(32), vout: 0 },
            force: false,
            maxFeeRate: 0,
          }),
      ],
      ["send dust", () => L.sendCoins({ lnd: sim.lnd.dao, address: "bcrt1qxyz", sats: 100, label: "" })],
      ["tower socket", () => L.addTower({ lnd: sim.lnd.dao, pubkey: sim.nodes.peer.pubkey, socket: "no-port" })],
    ];
    for (const [name, call] of cases) {
      const error = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(L.LightningError);
      expect((error as L.LightningError).code, name).toBe("INVALID_ARGUMENT");
      expect((error as L.LightningError).retryable, name).toBe(false);
    }
  });

  it("reports lnd's own refusals as permanent and unknown channels as NOT_FOUND", async () => {
    const broke = await L.openChannel({
      lnd: sim.lnd.contributor,
      peerPubkey: sim.nodes.peer.pubkey,
      peerSocket: sim.nodes.peer.p2p_host,
      localSats: 16_777_216,
      pushSats: 0,
      isPrivate: false,
      memo: "lvdao:9",
    }).then(
      () => null,
      (e: L.LightningError) => e,
    );
    expect(broke).toMatchObject({ code: "DAEMON_REFUSED", retryable: false });
    const unknown = await L.updateChannelPolicy({
      lnd: sim.lnd.dao,
      target: { txid: "ab".repeat(32), vout: 1 },
      policy: {
        baseFeeMsat: 0n,
        feeRatePpm: 1,
        cltvDelta: 40,
        inboundBaseDiscountMsat: 0,
        inboundFeeRateDiscountPpm: 0,
      },
    }).then(
      () => null,
      (e: L.LightningError) => e,
    );
    expect(unknown).toMatchObject({ code: "NOT_FOUND", retryable: false });
  });

  it("marks an unreachable lnd as UNAVAILABLE and retryable", async () => {
    const lnd = L.connectLnd({
      socket: "127.0.0.1:1",
      certPath: sim.nodes.dao.lnd_cert_path,
      macaroonPath: sim.nodes.dao.lnd_macaroon_path,
    });
    const error = await L.getNodeInfo({ lnd, timeoutMs: 10_000 }).then(
      () => null,
      (e: L.LightningError) => e,
    );
    expect(error).toMatchObject({ code: "UNAVAILABLE", retryable: true, daemon: "lnd" });
    const tapd = L.connectTapd({
      socket: "127.0.0.1:1",
      certPath: sim.nodes.dao.tapd_cert_path,
      macaroonPath: sim.nodes.dao.tapd_macaroon_path,
    });
    const tapdError = await L.getTapdInfo({ tapd, timeoutMs: 10_000 }).then(
      () => null,
      (e: L.LightningError) => e,
    );
    tapd.close();
    expect(tapdError).toMatchObject({ code: "UNAVAILABLE", retryable: true, daemon: "tapd" });
  });

  it("names the file when a macaroon or certificate cannot be read", () => {
    expect(() =>
      L.connectLnd({
        socket: sim.nodes.dao.lnd_socket,
        certPath: join(stateDir, "missing.cert"),
        macaroonPath: sim.nodes.dao.lnd_macaroon_path,
      }),
    ).toThrow(/cannot read TLS certificate file .*missing\.cert: ENOENT/);
    expect(() =>
      L.connectTapd({
        socket: sim.nodes.dao.tapd_socket as string,
        certPath: sim.nodes.dao.tapd_cert_path,
        macaroonPath: sim.nodes.dao.tapd_cert_path,
      }),
    ).toThrow(/is not a binary macaroon/);
  });

  it("turns a read-only macaroon's write attempt into PERMISSION_DENIED", async () => {
    const lnd = L.connectLnd({
      socket: sim.nodes.dao.lnd_socket,
      certPath: sim.nodes.dao.lnd_cert_path,
      macaroonPath: sim.nodes.dao.lnd_macaroon_path.replace("admin.macaroon", "readonly.macaroon"),
    });
    expect((await L.getNodeInfo({ lnd })).pubkey).toBe(sim.nodes.dao.pubkey);
    const error = await L.createAddress({ lnd }).then(
      () => null,
      (e: L.LightningError) => e,
    );
    expect(error).toMatchObject({ code: "PERMISSION_DENIED", retryable: false });
  });

  it("refuses to reissue into a group this tapd does not control", async () => {
    const [group] = await L.listAssetGroups({ tapd: sim.tapd.dao });
    const error = await L.mintGroupedAsset({
      tapd: sim.tapd.contributor,
      name: "not-mine",
      amount: 1n,
      groupKey: group!.groupKey,
    }).then(
      () => null,
      (e: L.LightningError) => e,
    );
    expect(error).toMatchObject({ code: "DAEMON_REFUSED", daemon: "tapd" });
  });

  it("fails a send above the balance without moving anything", async () => {
    const [asset] = await L.listAssets({ tapd: sim.tapd.contributor });
    const address = await L.newAssetAddress({
      tapd: sim.tapd.dao,
      assetId: asset!.assetId,
      amount: asset!.amount + 1n,
    });
    const transfersBefore = await L.listTransfers({ tapd: sim.tapd.contributor });
    const error = await L.sendAsset({
      tapd: sim.tapd.contributor,
      addresses: [address.address],
      label: "lvdao:too-much",
    }).then(
      () => null,
      (e: L.LightningError) => e,
    );
    expect(error?.reason).toMatch(/failed to find coin/);
    expect(await L.listTransfers({ tapd: sim.tapd.contributor })).toEqual(transfersBefore);
    expect((await L.listAssets({ tapd: sim.tapd.contributor }))[0]?.amount).toBe(asset!.amount);
  });
});
