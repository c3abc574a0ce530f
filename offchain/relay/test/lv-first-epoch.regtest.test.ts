// The revenue sweeper's first epoch against the REAL daemons, with no LV yet: real btcd, lnd (dao, peer,
// contributor) and tapd (dao, contributor) from offchain/regtest/harness/index.ts, the real contracts on the node
// emulation, one relay started from its config file with no lv.asset_id. Payments routed contributor -> dao -> peer
// earn dao fees; the sweeper creates the LV group on dao's tapd (the reserve) with the first epoch's mint, records
// the epoch, and pays two shares (operations and channels, both held by contributor's tapd) in two transfers, the
// second funded only once the first one's change has confirmed. Blocks come from the stack's background miner.
import { describe, expect, it } from "vitest";
import { listAssetBalances, listAssetGroups, listTransfers, type TapdClient } from "../../lightning/index.ts";
import { LV_ASSET_ID_KEY, LV_GROUP_KEY } from "../jobs/lv-asset.ts";
import { mintName, shareLabel } from "../monitors/revenue-sweeper.ts";
import { startRegtestRelayStack, type RegtestTomlOptions } from "./regtest-stack.ts";
import { expectNothingSecretLogged, relaySuite } from "./relay-suite.ts";
import { EXPECTED_FEES_MSAT, openRoute, routeAndSweepOneEpoch } from "./routed-revenue.ts";
import { until } from "./wait.ts";

const EPOCH_BLOCKS = 20;

const groupBalance = async (tapd: TapdClient, groupKey: string): Promise<bigint> =>
  (await listAssetBalances({ tapd, by: "group" })).find((b) => b.key === groupKey)?.balance ?? 0n;

const suite = relaySuite("lv-first-epoch.regtest.test.ts", {
  start: () => startRegtestRelayStack("lv-first-epoch"),
  prepare: async (stack): Promise<RegtestTomlOptions> => {
    await openRoute(stack);
    return {
      contributorWallets: ["operations", "channels"],
      monitors: { revenue_epoch_blocks: EPOCH_BLOCKS, liquidity_report_blocks: 1_000 },
    };
  },
});

describe("the first revenue epoch on real tapd creates the LV group", () => {
  it("forwarding fees minted in a new group on dao's tapd; operations, channels shares reach contributor", async () => {
    const { tapd } = suite.stack.lightning;
    expect(await suite.relay.journal.jobs.get(LV_GROUP_KEY)).toBeUndefined();
    const swept = await routeAndSweepOneEpoch(suite.stack, suite.relay, EPOCH_BLOCKS);
    expect(swept.feesMsat).toBe(EXPECTED_FEES_MSAT);
    expect(swept.windowFeesMsat).toBe(swept.feesMsat);
    expect(swept.revenue).toBe(swept.windowFeesMsat / 1000n);
    expect(swept.shares).toEqual({
      infrastructure: swept.revenue / 10n,
      channels: (swept.revenue * 6n) / 10n,
      reserve: (swept.revenue * 3n) / 10n,
    });

    const groupKey = (await suite.relay.journal.jobs.get(LV_GROUP_KEY))!;
    const groups = await listAssetGroups({ tapd: tapd.dao });
    const minted = groups.find((g) => g.groupKey === groupKey)?.assets ?? [];
    expect(minted.map((a) => [a.name, a.amount])).toEqual([[mintName(swept.epoch), swept.revenue]]);
    expect(await suite.relay.journal.jobs.get(LV_ASSET_ID_KEY)).toBe(minted[0]!.assetId);

    await until(
      "the operations and channels shares to arrive on contributor's tapd",
      async () =>
        (await groupBalance(tapd.contributor, groupKey)) === swept.shares.infrastructure + swept.shares.channels,
      120_000,
    );
    for (const [wallet, amount] of [
      ["operations", swept.shares.infrastructure],
      ["channels", swept.shares.channels],
    ] as const) {
      const sent = await listTransfers({ tapd: tapd.dao, label: shareLabel(swept.epoch, wallet) });
      expect(sent.flatMap((t) => t.outputs.filter((o) => !o.isLocal).map((o) => o.amount))).toEqual([amount]);
    }
    expect(await groupBalance(tapd.dao, groupKey)).toBe(swept.shares.reserve);
  }, 300_000);

  it("never logged a macaroon or the relay key", () => {
    const { nodes } = suite.stack.lightning;
    expectNothingSecretLogged(suite, [nodes.dao.tapd_macaroon_path!, nodes.contributor.tapd_macaroon_path!]);
  });
});
