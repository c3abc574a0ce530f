// Real lnd on regtest (startRegtest): a channel found by its memo across an lnd restart, a fee policy with inbound
// discounts under lnd's sign rules, and the DAO node's watchtower client connected to the peer's tower.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as L from "../../lightning/index.ts";
import { policyUpdateRequest } from "../../lightning/requests/policy.ts";
import { viaGrpc } from "../../lightning/lnd/call.ts";
import { eventually } from "../../lightning/test/stack.ts";
import { startRegtest, type RegtestHandle } from "./index.ts";

let stack: RegtestHandle;

beforeAll(async () => {
  stack = await startRegtest();
});

afterAll(async () => {
  await stack?.stop();
});

describe("a dao -> peer channel with a memo", () => {
  const memo = L.channelMemo(4_001);
  let funding: L.Outpoint;

  it("is found by its memo while opening and once open", async () => {
    funding = await L.openChannel({
      lnd: stack.lnd.dao,
      peerPubkey: stack.nodes.peer.pubkey,
      peerSocket: stack.nodes.peer.p2p_host,
      localSats: 2_000_000,
      pushSats: 0,
      isPrivate: false,
      memo,
    });
    const opening = await L.findChannelsByMemo({ lnd: stack.lnd.dao, memo });
    expect(opening.map((c) => [c.state, c.channel])).toEqual([["opening", funding]]);
    await stack.mine(1);
    const open = await eventually(
      async () => {
        const found = await L.findChannelsByMemo({ lnd: stack.lnd.dao, memo });
        return found[0]?.state === "open" && found[0].isActive ? found : undefined;
      },
      { what: "the channel to be active" },
    );
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      channel: funding,
      memo,
      peerPubkey: stack.nodes.peer.pubkey,
      capacitySats: 2_000_000,
      isOpener: true,
    });
  });

  it("is still found by its memo after dao's lnd restarts", async () => {
    const pidBefore = stack.pids()["lnd dao"];
    await stack.restart("dao");
    expect(stack.pids()["lnd dao"]).not.toBe(pidBefore);
    expect((await L.getNodeInfo({ lnd: stack.lnd.dao })).pubkey).toBe(stack.nodes.dao.pubkey);
    const found = await eventually(
      async () => {
        const channels = await L.findChannelsByMemo({ lnd: stack.lnd.dao, memo });
        return channels[0]?.isActive ? channels : undefined;
      },
      { what: "the channel to be active again after the restart" },
    );
    expect(found.map((c) => [c.state, c.channel, c.memo])).toEqual([["open", funding, memo]]);
    expect(await L.findChannelsByMemo({ lnd: stack.lnd.dao, memo: L.channelMemo(4_002) })).toEqual([]);
  });

  it("takes a fee policy with inbound discounts, read back by getFeeRates as negative inbound fees", async () => {
    const before = await L.getChannelPolicy({ lnd: stack.lnd.dao, channel: funding });
    const update = await L.updateChannelPolicy({
      lnd: stack.lnd.dao,
      target: funding,
      policy: {
        baseFeeMsat: 1_500n,
        feeRatePpm: 321,
        cltvDelta: 40,
        inboundBaseDiscountMsat: 200,
        inboundFeeRateDiscountPpm: 25,
      },
    });
    expect(update.failures).toEqual([]);
    const rates = await L.getFeeRates({ lnd: stack.lnd.dao });
    expect(
      rates.find((rate) => rate.channel.txid === funding.txid && rate.channel.vout === funding.vout),
    ).toMatchObject({
      baseFeeMsat: 1_500n,
      feeRatePpm: 321,
      inboundBaseFeeMsat: -200,
      inboundFeeRatePpm: -25,
    });
    const after = await eventually(
      async () => {
        const policy = await L.getChannelPolicy({ lnd: stack.lnd.dao, channel: funding });
        return L.policyMatches(policy, update.applied[0] as L.AppliedPolicy) ? policy : undefined;
      },
      { what: "the policy in lnd's graph", timeoutMs: 20_000 },
    );
    // Merged, not reset: what the update did not name keeps its value.
    expect(after.maxHtlcMsat).toBe(before.maxHtlcMsat);
    expect(after.cltvDelta).toBe(40);
  });

  it("is refused a positive inbound fee by lnd (inbound fees may only be discounts)", async () => {
    const current = await L.getChannelPolicy({ lnd: stack.lnd.dao, channel: funding });
    const surcharge = policyUpdateRequest({
      ...current,
      channel: funding,
      inboundBaseFeeMsat: 100,
      inboundFeeRatePpm: 0,
    });
    await expect(
      viaGrpc(stack.lnd.dao, "default", "updateChannelPolicy", surcharge, "updateChannelPolicy"),
    ).rejects.toThrow(/positive values for inbound base fee/);
    const rates = await L.getFeeRates({ lnd: stack.lnd.dao });
    expect(rates.find((rate) => rate.channel.txid === funding.txid)?.inboundBaseFeeMsat).toBe(-200);
  });
});

describe("watchtowers", () => {
  it("connects peer's tower to dao's watchtower client and lists it", async () => {
    const server = await L.getTowerServerInfo({ lnd: stack.lnd.peer });
    expect(server).not.toBeNull();
    const tower = server as L.TowerServer;
    const socket = tower.sockets.find((s) => s.startsWith("127.0.0.1:")) as string;
    expect(socket).toBeDefined();
    expect(await L.addTower({ lnd: stack.lnd.dao, pubkey: tower.pubkey, socket })).toEqual({ alreadyAdded: false });
    const towers = await L.listTowers({ lnd: stack.lnd.dao });
    expect(towers.map((t) => t.pubkey)).toEqual([tower.pubkey]);
    expect(towers[0]?.sockets).toContain(socket);
    expect(await L.addTower({ lnd: stack.lnd.dao, pubkey: tower.pubkey, socket })).toEqual({ alreadyAdded: true });
  });

  it("has no watchtower server on dao and no client on peer", async () => {
    expect(await L.getTowerServerInfo({ lnd: stack.lnd.dao })).toBeNull();
    await expect(L.listTowers({ lnd: stack.lnd.peer })).rejects.toThrow();
  });
});

describe("a channel opened right after a block", () => {
  // lnd refuses an open while its wallet, or the peer's, has not caught up with the newest block
  // ("WalletNotFullySynced", "RemoteNodeSyncing"): nothing is funded, and the same open passes a moment later. On a
  // probe here 13 of 30 opens made right after a block were refused that way; the relay used to report them 409.
  it("is refused only retryably while lnd catches up, and each open then lands exactly once", async () => {
    const rounds = 10;
    const refusals: string[] = [];
    const memos: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const memo = L.channelMemo(4_100 + round);
      memos.push(memo);
      // straight from btcd, as blocks arrive on a real chain: `stack.mine` would wait for every lnd to catch up
      await stack.bitcoin.rpc.call("generate", [1]);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const error = await L.openChannel({
          lnd: stack.lnd.dao,
          peerPubkey: stack.nodes.peer.pubkey,
          localSats: 20_000,
          pushSats: 0,
          isPrivate: false,
          memo,
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (error === undefined) break;
        expect(error, String(error)).toBeInstanceOf(L.LightningError);
        expect((error as L.LightningError).retryable, (error as Error).message).toBe(true);
        refusals.push((error as Error).message);
        if (Date.now() > deadline) throw new Error(`${memo}: still refused after 30 s: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const reasons = [...new Set(refusals)].join("; ");
    console.log(`opens refused while lnd caught up with a block: ${refusals.length} in ${rounds} rounds (${reasons})`);
    await stack.mine(1);
    for (const memo of memos)
      expect((await L.findChannelsByMemo({ lnd: stack.lnd.dao, memo })).map((c) => c.memo)).toEqual([memo]);
  }, 120_000);
});
