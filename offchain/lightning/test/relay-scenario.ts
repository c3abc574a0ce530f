// The relay-facing calls, run in the order the relay uses them, against any Lightning stack: the fast suite runs
// it on the simulators, the regtest suite on real btcd/lnd/tapd (and on the simulators again, to compare the
// answers' shapes). Each step checks what must hold on both; each step's answer is recorded under its name.
import { randomInt } from "node:crypto";
import { expect } from "vitest";
import * as L from "../index.ts";
import { clientsFor, eventually, shapeOf, type StackUnderTest } from "./stack.ts";

export type Answers = Map<string, unknown>;

export async function runRelayScenario(
  target: StackUnderTest,
  log: (line: string) => void = () => undefined,
): Promise<Answers> {
  const answers: Answers = new Map();
  const record = <T>(name: string, value: T): T => {
    answers.set(name, value);
    log(`${target.mode}: ${name}`);
    return value;
  };
  const { lnd, tapd, loop, close } = clientsFor(target);
  const mine = (blocks: number) => target.mine(blocks);
  const nodes = target.stack.nodes;
  const id = randomInt(1, 2 ** 40);
  try {
    // Who is who.
    const dao = record("getNodeInfo", await L.getNodeInfo({ lnd: lnd.dao }));
    expect(dao.pubkey).toBe(nodes.dao.pubkey);

    // channel-open: connect, open with the memo, find it by memo while opening and once open.
    record(
      "connectPeer",
      await L.connectPeer({ lnd: lnd.dao, pubkey: nodes.peer.pubkey, socket: nodes.peer.p2p_host }),
    );
    expect((await L.listPeers({ lnd: lnd.dao })).map((p) => p.pubkey)).toContain(nodes.peer.pubkey);
    record(
      "connectPeer:again",
      await L.connectPeer({ lnd: lnd.dao, pubkey: nodes.peer.pubkey, socket: nodes.peer.p2p_host }),
    );
    expect(answers.get("connectPeer:again")).toEqual({ alreadyConnected: true });
    const memo = L.channelMemo(id);
    const funding = record(
      "openChannel",
      await L.openChannel({
        lnd: lnd.dao,
        peerPubkey: nodes.peer.pubkey,
        localSats: 1_000_000,
        pushSats: 100_000,
        isPrivate: false,
        memo,
      }),
    );
    const opening = record("findChannelsByMemo:opening", await L.findChannelsByMemo({ lnd: lnd.dao, memo }));
    expect(opening.map((c) => [c.state, c.channel])).toEqual([["opening", funding]]);
    const open = await eventually(
      async () => {
        const found = await L.findChannelsByMemo({ lnd: lnd.dao, memo });
        return found[0]?.state === "open" && found[0].isActive ? found : undefined;
      },
      { what: "the channel to open", mine: () => mine(1) },
    );
    record("findChannelsByMemo:open", open);
    expect(open[0]?.memo).toBe(memo);

    // fee-policy: merge into the current policy, inbound discounts in lnd's sign, read back with getFeeRates.
    // lnd adds a new channel's edge to its graph a moment after the link is active; until then: NOT_FOUND.
    const before = record(
      "getChannelPolicy",
      await eventually(
        () =>
          L.getChannelPolicy({ lnd: lnd.dao, channel: funding }).catch((error: unknown) => {
            if (error instanceof L.LightningError && error.code === "NOT_FOUND") return undefined;
            throw error;
          }),
        { what: "the new channel's edge in dao's graph", timeoutMs: 20_000 },
      ),
    );
    const update = record(
      "updateChannelPolicy",
      await L.updateChannelPolicy({
        lnd: lnd.dao,
        target: funding,
        policy: {
          baseFeeMsat: 1500n,
          feeRatePpm: 321,
          cltvDelta: 40,
          inboundBaseDiscountMsat: 200,
          inboundFeeRateDiscountPpm: 25,
        },
      }),
    );
    expect(update.failures).toEqual([]);
    expect(update.applied).toHaveLength(1);
    expect(update.applied[0]?.maxHtlcMsat).toBe(before.maxHtlcMsat);
    const rates = record("getFeeRates", await L.getFeeRates({ lnd: lnd.dao }));
    expect(rates.find((r) => r.channel.txid === funding.txid)).toMatchObject({
      baseFeeMsat: 1500n,
      feeRatePpm: 321,
      inboundBaseFeeMsat: -200,
      inboundFeeRatePpm: -25,
    });
    const after = await eventually(
      async () => {
        const policy = await L.getChannelPolicy({ lnd: lnd.dao, channel: funding });
        return L.policyMatches(policy, update.applied[0] as L.AppliedPolicy) ? policy : undefined;
      },
      { what: "the channel policy to read back", timeoutMs: 20_000 },
    );
    record("getChannelPolicy:after", after);

    // Liquidity, balances, on-chain.
    const scan = record("scanLiquidity", await L.scanLiquidity({ lnd: lnd.dao }));
    expect(scan.channels.some((c) => c.channel.txid === funding.txid)).toBe(true);
    record("getChannelBalance", await L.getChannelBalance({ lnd: lnd.dao }));
    const chain = record("getChainBalance", await L.getChainBalance({ lnd: lnd.dao }));
    const address = record("createAddress", await L.createAddress({ lnd: lnd.contributor }));
    record("sendCoins", await L.sendCoins({ lnd: lnd.dao, address, sats: 50_000, label: `lvdao:${id}:sweep` }));
    await mine(1);
    const chainAfter = await L.getChainBalance({ lnd: lnd.dao });
    expect(chainAfter.confirmedSats + chainAfter.unconfirmedSats).toBeLessThan(
      chain.confirmedSats + chain.unconfirmedSats - 50_000 + 1,
    );

    // Payments: dao pays peer directly; contributor pays peer through dao, which records the forward.
    const invoice = record(
      "createInvoice",
      await L.createInvoice({ lnd: lnd.peer, msat: 12_345_000n, description: `lvdao test ${id}` }),
    );
    record("payInvoice", await L.payInvoice({ lnd: lnd.dao, request: invoice.request, maxFeeSats: 100 }));
    const settled = record("lookupInvoice", await L.lookupInvoice({ lnd: lnd.peer, paymentHash: invoice.paymentHash }));
    expect(settled.state).toBe("settled");
    expect(settled.receivedMsat).toBe(12_345_000n);
    const start = new Date(Date.now() - 60_000);
    await L.connectPeer({ lnd: lnd.contributor, pubkey: nodes.dao.pubkey, socket: nodes.dao.p2p_host });
    const toDao = await L.openChannel({
      lnd: lnd.contributor,
      peerPubkey: nodes.dao.pubkey,
      localSats: 2_000_000,
      pushSats: 0,
      isPrivate: false,
      memo: L.channelMemo(id + 1),
    });
    await eventually(
      async () => ((await L.findChannel({ lnd: lnd.contributor, channel: toDao }))?.isActive ? true : undefined),
      { what: "contributor's channel", mine: () => mine(1) },
    );
    const routedInvoice = await L.createInvoice({ lnd: lnd.peer, msat: 100_000_000n, description: `routed ${id}` });
    const routed = record(
      "payInvoice:routed",
      await eventually(
        () => L.payInvoice({ lnd: lnd.contributor, request: routedInvoice.request, maxFeeSats: 1_000 }),
        { what: "a route through dao", timeoutMs: 90_000 },
      ),
    );
    expect(routed.hops).toBe(2);
    const forwards = record(
      "getForwards",
      await eventually(
        async () => {
          const list = await L.getForwards({ lnd: lnd.dao, after: start, before: new Date(Date.now() + 60_000) });
          return list.length > 0 ? list : undefined;
        },
        { what: "dao's forward" },
      ),
    );
    expect(L.totalFeesMsat(forwards)).toBe(routed.feeMsat);

    // Watchtowers: peer's tower added to dao's client, listed, removed.
    const tower = record("getTowerServerInfo", await L.getTowerServerInfo({ lnd: lnd.peer }));
    expect(tower).not.toBeNull();
    const towerSocket = tower?.sockets.find((s) => s.startsWith("127.0.0.1:")) ?? (tower?.sockets[0] as string);
    record("addTower", await L.addTower({ lnd: lnd.dao, pubkey: tower?.pubkey as string, socket: towerSocket }));
    const towers = record("listTowers", await L.listTowers({ lnd: lnd.dao }));
    expect(towers.map((t) => t.pubkey)).toContain(tower?.pubkey);
    expect(await L.addTower({ lnd: lnd.dao, pubkey: tower?.pubkey as string, socket: towerSocket })).toEqual({
      alreadyAdded: true,
    });
    record("removeTower", await L.removeTower({ lnd: lnd.dao, pubkey: tower?.pubkey as string }));
    expect((await L.listTowers({ lnd: lnd.dao })).map((t) => t.pubkey)).not.toContain(tower?.pubkey);

    // channel-close: cooperative under a fee-rate cap, then idempotent, then found closed by outpoint.
    const closing = record(
      "closeChannel",
      await L.closeChannel({ lnd: lnd.dao, channel: funding, force: false, maxFeeRate: 50 }),
    );
    expect(closing.alreadyClosing).toBe(false);
    expect(await L.closeChannel({ lnd: lnd.dao, channel: funding, force: false, maxFeeRate: 50 })).toEqual({
      ...closing,
      alreadyClosing: true,
    });
    const closed = await eventually(
      async () => {
        const found = await L.findChannelsByMemo({ lnd: lnd.dao, memo, fundingOutpoints: [funding] });
        return found.some((c) => c.state === "closed") ? found : undefined;
      },
      { what: "the channel to close", mine: () => mine(1) },
    );
    record(
      "findChannelsByMemo:closed",
      closed.find((c) => c.state === "closed"),
    );

    // LV on tapd: mint a new group, reissue into it, send some to contributor with a label, see it arrive.
    record("getTapdInfo", await L.getTapdInfo({ tapd: tapd.dao }));
    const first = record(
      "mintGroupedAsset:new",
      await L.mintGroupedAsset({ tapd: tapd.dao, name: `lv-${id}`, amount: 1_000_000n }),
    );
    await mine(1);
    const groupKey = first.asset.groupKey as string;
    const second = record(
      "mintGroupedAsset:reissue",
      await L.mintGroupedAsset({ tapd: tapd.dao, name: `lv-${id}-2`, amount: 5_000n, groupKey }),
    );
    expect(second.asset.groupKey).toBe(groupKey);
    await mine(1);
    const balances = record(
      "listAssetBalances",
      await eventually(
        async () => {
          const list = await L.listAssetBalances({ tapd: tapd.dao, by: "group" });
          return list.find((b) => b.key === groupKey)?.balance === 1_005_000n ? list : undefined;
        },
        { what: "both mints confirmed" },
      ),
    );
    expect(balances.find((b) => b.key === groupKey)?.balance).toBe(1_005_000n);
    record("listAssetGroups", await L.listAssetGroups({ tapd: tapd.dao }));
    const receive = record(
      "newAssetAddress",
      await L.newAssetAddress({ tapd: tapd.contributor, assetId: first.asset.assetId, amount: 2_500n }),
    );
    const label = `lvdao:${id}`;
    const sent = record("sendAsset", await L.sendAsset({ tapd: tapd.dao, addresses: [receive.address], label }));
    expect(sent.label).toBe(label);
    record("listTransfers", await L.listTransfers({ tapd: tapd.dao, label }));
    expect((await L.listTransfers({ tapd: tapd.dao, label })).map((t) => t.anchorTxid)).toEqual([sent.anchorTxid]);
    await mine(1);
    const receipts = record(
      "listAddressReceives",
      await eventually(
        async () => {
          const list = await L.listAddressReceives({ tapd: tapd.contributor, address: receive.address });
          return list.some((r) => r.status === "completed") ? list : undefined;
        },
        { what: "contributor's receipt", mine: () => mine(1) },
      ),
    );
    expect(receipts[0]?.anchor.txid).toBe(sent.anchorTxid);
    expect(receipts[0]?.amount).toBe(2_500n);
    record("listAssets", await L.listAssets({ tapd: tapd.contributor }));

    // Loop, when the stack has its loopd simulator.
    if (loop) {
      record("getLoopOutTerms", await L.getLoopOutTerms({ loop }));
      record("getLoopOutQuote", await L.getLoopOutQuote({ loop, amountSats: 250_000 }));
      const outAddress = await L.createAddress({ lnd: lnd.dao });
      const started = record(
        "loopOut",
        await L.loopOut({
          loop,
          amountSats: 250_000,
          dest: outAddress,
          maxTotalFeeSats: 25_000,
          label: `lvdao:${id}:out`,
        }),
      );
      const swaps = record("listSwaps", await L.listSwaps({ loop, label: `lvdao:${id}:out` }));
      expect(swaps.map((s) => s.id)).toEqual([started.id]);
      record("getSwap", await L.getSwap({ loop, id: started.id }));
    }
    return answers;
  } finally {
    close();
  }
}

/** Differences between two runs' answer shapes; an empty array in either run matches any array. */
export function shapeDifferences(a: Answers, b: Answers): string[] {
  const problems: string[] = [];
  const compare = (path: string, x: unknown, y: unknown) => {
    if (x === "[]" || y === "[]") {
      if (!(Array.isArray(x) || x === "[]") || !(Array.isArray(y) || y === "[]"))
        problems.push(`${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) return compare(`${path}[0]`, x[0], y[0]);
    if (x && y && typeof x === "object" && typeof y === "object") {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const key of keys)
        compare(`${path}.${key}`, (x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]);
      return;
    }
    if (x !== y) problems.push(`${path}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    if (!a.has(name) || !b.has(name)) {
      problems.push(`${name}: answered in only one run`);
      continue;
    }
    compare(name, shapeOf(a.get(name)), shapeOf(b.get(name)));
  }
  return problems;
}
