// Real tapd on regtest (startRegtest): a grouped asset minted on dao's tapd (a new group, then a reissue into it),
// sent to contributor's tapd and partly back, every proof carried by the dao tapd's universe courier, and each
// transfer listed by its label on the side that sent it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as L from "../../lightning/index.ts";
import { eventually } from "../../lightning/test/stack.ts";
import { startRegtest, type RegtestHandle } from "./index.ts";

let stack: RegtestHandle;

beforeAll(async () => {
  stack = await startRegtest();
});

afterAll(async () => {
  await stack?.stop();
});

const groupBalance = async (tapd: L.TapdClient, groupKey: string) =>
  (await L.listAssetBalances({ tapd, by: "group" })).find((b) => b.key === groupKey)?.balance ?? 0n;

async function received(tapd: L.TapdClient, address: string): Promise<L.TapReceive> {
  return eventually(
    async () => (await L.listAddressReceives({ tapd, address })).find((r) => r.status === "completed"),
    { what: `the receipt on ${address.slice(0, 20)}…`, mine: () => stack.mine(1), timeoutMs: 90_000 },
  );
}

describe("a grouped asset between dao and contributor", () => {
  let assetId: string;
  let groupKey: string;

  it("is minted on dao's tapd as a new group, then reissued into that group", async () => {
    const first = await L.mintGroupedAsset({ tapd: stack.tapd.dao, name: "lv-regtest", amount: 1_000_000n });
    assetId = first.asset.assetId;
    groupKey = first.asset.groupKey as string;
    expect(groupKey).toMatch(/^0[23][0-9a-f]{64}$/);
    await stack.mine(1);
    await eventually(async () => ((await groupBalance(stack.tapd.dao, groupKey)) === 1_000_000n ? true : undefined), {
      what: "the first mint to confirm",
      mine: () => stack.mine(1),
    });
    const second = await L.mintGroupedAsset({ tapd: stack.tapd.dao, name: "lv-regtest-2", amount: 5_000n, groupKey });
    expect(second.asset.groupKey).toBe(groupKey);
    expect(second.asset.assetId).not.toBe(assetId);
    await stack.mine(1);
    await eventually(async () => ((await groupBalance(stack.tapd.dao, groupKey)) === 1_005_000n ? true : undefined), {
      what: "the reissue to confirm",
      mine: () => stack.mine(1),
    });
    const groups = await L.listAssetGroups({ tapd: stack.tapd.dao });
    expect(
      groups
        .find((g) => g.groupKey === groupKey)
        ?.assets.map((a) => a.amount)
        .sort(),
    ).toEqual([1_000_000n, 5_000n].sort());
  });

  it("is sent to contributor with a label, the proof delivered through dao's courier", async () => {
    // contributor's tapd learns the asset from dao's universe (its federation server), which registers a mint's
    // issuance proof shortly after the mint confirms: the first tries can find nothing yet.
    const address = await eventually(
      () => L.newAssetAddress({ tapd: stack.tapd.contributor, assetId, amount: 2_500n }),
      { what: "contributor to learn the asset from dao's universe", timeoutMs: 30_000 },
    );
    expect(address.proofCourier).toBe(`universerpc://${stack.nodes.dao.tapd_socket}`);
    const sent = await L.sendAsset({ tapd: stack.tapd.dao, addresses: [address.address], label: "lvdao:4101" });
    expect(sent.label).toBe("lvdao:4101");
    await stack.mine(1);
    const receipt = await received(stack.tapd.contributor, address.address);
    expect(receipt).toMatchObject({ amount: 2_500n, anchor: { txid: sent.anchorTxid } });
    expect(await groupBalance(stack.tapd.contributor, groupKey)).toBe(2_500n);
    expect(await groupBalance(stack.tapd.dao, groupKey)).toBe(1_002_500n);
  });

  it("comes partly back to dao with contributor's label", async () => {
    const address = await L.newAssetAddress({ tapd: stack.tapd.dao, assetId, amount: 1_000n });
    const sent = await L.sendAsset({ tapd: stack.tapd.contributor, addresses: [address.address], label: "lvdao:4102" });
    await stack.mine(1);
    const receipt = await received(stack.tapd.dao, address.address);
    expect(receipt.anchor.txid).toBe(sent.anchorTxid);
    expect(await groupBalance(stack.tapd.dao, groupKey)).toBe(1_003_500n);
    expect(await groupBalance(stack.tapd.contributor, groupKey)).toBe(1_500n);
  });

  it("lists each transfer by its label on the sending tapd, and nothing under another label", async () => {
    const out = await L.listTransfers({ tapd: stack.tapd.dao, label: "lvdao:4101" });
    expect(out).toHaveLength(1);
    expect(out[0]?.outputs.filter((o) => !o.isLocal).map((o) => o.amount)).toEqual([2_500n]);
    const back = await L.listTransfers({ tapd: stack.tapd.contributor, label: "lvdao:4102" });
    expect(back).toHaveLength(1);
    expect(back[0]?.inputs.reduce((sum, input) => sum + input.amount, 0n)).toBe(2_500n);
    expect(await L.listTransfers({ tapd: stack.tapd.dao, label: "lvdao:4102" })).toEqual([]);
    expect((await L.listTransfers({ tapd: stack.tapd.dao })).map((t) => t.label)).toContain("lvdao:4101");
  });
});
