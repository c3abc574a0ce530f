// The relay's LV flows against the REAL daemons: real btcd, lnd (dao, peer, contributor) and tapd (dao, contributor)
// from offchain/regtest/harness/index.ts, and the real contracts on the node emulation; one relay, started from its
// config file, runs throughout. LV is a grouped Taproot Asset the operator mints on dao's tapd and names in
// lv.asset_id; the reserve wallet is dao's tapd, the operations wallet contributor's. The flows run in order:
//   lv-transfer: a voted transfer moves LV from the reserve to operations with a real tapd send, labelled lvdao:<id>;
//   another one queued while the reserve's LV is an unconfirmed transfer's change (the background miner paused),
//   which real tapd refuses until a block: the relay retries it rather than failing it with 409;
//   a pledge: contributor's tapd pays the address the pledge watcher published, and GT is minted;
//   a revenue epoch: payments routed contributor -> dao -> peer earn dao fees, the sweeper mints them as LV into the
//   group and pays the operations share to contributor's tapd.
// Bitcoin blocks come from the stack's background miner (one a second), as they would on a live chain. The routing
// setup and the epoch's closing are shared with lv-first-epoch.regtest.test.ts (routed-revenue.ts).
import { readFileSync } from "node:fs";
import { Cl, serializeCV } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import {
  connectTapd,
  listAssetBalances,
  listAssetGroups,
  listTransfers,
  mintGroupedAsset,
  newAssetAddress,
  sendAsset,
  type TapdClient,
} from "../../lightning/index.ts";
import { TapdNode } from "../daemons/tapd.ts";
import { RetryableFailure } from "../failure.ts";
import { mintName, shareLabel } from "../monitors/revenue-sweeper.ts";
import { passConvictionAction, readOnly, send } from "../../devnet/governance.ts";
import { startRegtestRelayStack } from "./regtest-stack.ts";
import { expectNothingSecretLogged, relaySuite } from "./relay-suite.ts";
import { EXPECTED_FEES_MSAT, openRoute, routeAndSweepOneEpoch, uints } from "./routed-revenue.ts";
import { until } from "./wait.ts";

const MINTED = 1_000_000n;
const TRANSFERRED = 25_000n;
/** Sent from the reserve by hand, leaving the reserve's LV unconfirmed change, then the queued transfer's amount. */
const BY_HAND = 1_000n;
const QUEUED = 2_000n;
/** What contributor's tapd holds after the transfers. */
const ON_CONTRIBUTOR = TRANSFERRED + BY_HAND + QUEUED;
const PLEDGED = 4_000n;
const EPOCH_BLOCKS = 20;

let lvAssetId = "";
let lvGroupKey = "";

const groupBalance = async (tapd: TapdClient): Promise<bigint> =>
  (await listAssetBalances({ tapd, by: "group" })).find((b) => b.key === lvGroupKey)?.balance ?? 0n;

/** reserve -> operations, passed by conviction; the stakers then take their GT back for the next proposal. */
async function passLvTransfer(amount: bigint, title: string): Promise<bigint> {
  const payload = Buffer.from(
    serializeCV(
      Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.uint(amount) }),
    ),
    "hex",
  );
  const id = await passConvictionAction(suite.stack.devnet, "lv-transfer", payload, title, MINTED);
  for (const wallet of ["wallet_2", "wallet_3", "wallet_4"])
    await send(suite.stack.devnet, wallet, "conviction-voting", "unstake", [Cl.uint(id), Cl.uint(900_000_000_000n)]);
  return id;
}

const suite = relaySuite("lv.regtest.test.ts", {
  start: () => startRegtestRelayStack("lv"),
  prepare: async (stack) => {
    const { tapd } = stack.lightning;
    // The operator's first LV tranche: a new group on dao's tapd (the reserve), confirmed by the background miner.
    const minted = await mintGroupedAsset({ tapd: tapd.dao, name: "LV", amount: MINTED });
    lvAssetId = minted.asset.assetId;
    lvGroupKey = minted.asset.groupKey!;
    await until("the LV mint to confirm", async () => (await groupBalance(tapd.dao)) === MINTED, 60_000);
    return { lvAssetId, monitors: { revenue_epoch_blocks: EPOCH_BLOCKS, liquidity_report_blocks: 1_000 } };
  },
});

describe("LV on real tapd: lv-transfer, a pledge, a revenue epoch", () => {
  it("a tapd not yet synced from dao's universe answers the relay's address request retryably, not 409", async () => {
    const { tapd, nodes } = suite.stack.lightning;
    const contributor = nodes.contributor;
    const client = connectTapd({
      socket: contributor.tapd_socket!,
      cert: readFileSync(contributor.tapd_cert_path!, "utf8"),
      macaroonHex: readFileSync(contributor.tapd_macaroon_path!).toString("hex"),
    });
    const wallet = new TapdNode(client);
    try {
      // a fresh asset on dao's tapd, unmined: its issuance proof reaches dao's universe only after the mint confirms
      await suite.stack.setMining(false);
      const fresh = await mintGroupedAsset({ tapd: tapd.dao, name: "not-yet-synced", amount: 10n });
      const refused = await wallet.newLvAddress({ assetId: fresh.asset.assetId, groupKey: undefined }, 1n).then(
        () => undefined,
        (error: unknown) => error,
      );
      await suite.stack.setMining(true);
      expect(refused).toBeInstanceOf(RetryableFailure);
      expect((refused as RetryableFailure).reason).toMatch(
        new RegExp(
          `has not synced asset ${fresh.asset.assetId} from its universe yet: .*unable to find asset or group`,
        ),
      );
      // once mined and in dao's universe, the same request passes
      const address = await until(
        "contributor's tapd to learn the asset",
        () => wallet.newLvAddress({ assetId: fresh.asset.assetId, groupKey: undefined }, 1n).catch(() => undefined),
        60_000,
      );
      expect(address).toMatch(/^taprt1/);
    } finally {
      await suite.stack.setMining(true);
      client.close();
    }
  });

  it("lv-transfer: voted, reserve (dao) to operations (contributor), labelled, anchor txid as evidence", async () => {
    const { tapd } = suite.stack.lightning;
    const id = await passLvTransfer(TRANSFERRED, "move LV to operations");
    await until(
      `lv-transfer #${id} reported`,
      async () => (await suite.relay.journal.actions.get(id))?.state === "reported",
      120_000,
    );
    expect(await readOnly(suite.stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe(
      '(ok "executed")',
    );
    const sent = await listTransfers({ tapd: tapd.dao, label: `lvdao:${id}` });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.outputs.filter((o) => !o.isLocal).map((o) => o.amount)).toEqual([TRANSFERRED]);
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
      `(evidence (some 0x${sent[0]!.anchorTxid}))`,
    );
    await until(
      "contributor's tapd to hold the LV",
      async () => (await groupBalance(tapd.contributor)) === TRANSFERRED,
      90_000,
    );
    expect(await groupBalance(tapd.dao)).toBe(MINTED - TRANSFERRED);
    // the relay tells a confirmed transfer from one in the mempool by the height tapd reports for its anchor
    expect((await listTransfers({ tapd: tapd.dao, label: `lvdao:${id}` }))[0]!.confirmationHeight).toBeGreaterThan(0);
  }, 300_000);

  it("lv-transfer of unconfirmed change: tapd refuses, the relay retries, sends after the block, not 409", async () => {
    const { tapd } = suite.stack.lightning;
    let id = 0n;
    let byHand = "";
    await suite.stack.setMining(false);
    try {
      // A send made on dao's tapd outside the relay: the reserve's one LV coin becomes that transfer's unconfirmed
      // change.
      const address = await newAssetAddress({ tapd: tapd.contributor, assetId: lvAssetId, amount: BY_HAND });
      byHand = (await sendAsset({ tapd: tapd.dao, addresses: [address.address], label: "by hand" })).anchorTxid;
      id = await passLvTransfer(QUEUED, "move LV to operations while a transfer is unconfirmed");
      const waiting = await until(
        "the relay to meet tapd's refusal",
        async () => {
          const row = await suite.relay.journal.actions.get(id);
          return row?.lastErrorKind === "retryable" ? row : undefined;
        },
        60_000,
      );
      expect(waiting.state).toBe("executing");
      expect(waiting.lastError).toContain(`1 unconfirmed transfer(s) (anchor ${byHand})`);
      expect(waiting.lastError).toContain("satisfy given constraints");
      expect(await listTransfers({ tapd: tapd.dao, label: `lvdao:${id}` })).toEqual([]);
    } finally {
      await suite.stack.setMining(true);
    }
    await until(
      `lv-transfer #${id} reported`,
      async () => (await suite.relay.journal.actions.get(id))?.state === "reported",
      120_000,
    );
    expect(await readOnly(suite.stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe(
      '(ok "executed")',
    );
    const sent = await listTransfers({ tapd: tapd.dao, label: `lvdao:${id}` });
    expect(sent).toHaveLength(1);
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
      `(evidence (some 0x${sent[0]!.anchorTxid}))`,
    );
    await until(
      "contributor's tapd to hold both",
      async () => (await groupBalance(tapd.contributor)) === ON_CONTRIBUTOR,
      90_000,
    );
  }, 300_000);

  it("a pledge from contributor's tapd: reserve address published, anchor, amount confirmed, GT minted", async () => {
    const { tapd } = suite.stack.lightning;
    const { devnet } = suite.stack;
    const pledger = devnet.account("wallet_5").address;
    const gtBefore = uints(await readOnly(devnet, "gt-token", "get-balance", [Cl.principal(pledger)]), "ok");
    const created = await send(devnet, "wallet_5", "lv-ledger", "pledge", [Cl.uint(PLEDGED)]);
    const pledgeId = BigInt(/u(\d+)/.exec(created)![1]!);
    const address = await until(
      "the pledge's address",
      async () =>
        /\(tap-addr \(some "([^"]+)"\)\)/.exec(
          await readOnly(devnet, "lv-ledger", "get-pledge", [Cl.uint(pledgeId)]),
        )?.[1],
      60_000,
    );
    const paid = await sendAsset({ tapd: tapd.contributor, addresses: [address], label: "my pledge" });
    const output = paid.outputs.find((o) => !o.isLocal)!;
    expect(output.amount).toBe(PLEDGED);
    const pledge = await until(
      "the contribution to be confirmed",
      async () => {
        const repr = await readOnly(devnet, "lv-ledger", "get-pledge", [Cl.uint(pledgeId)]);
        return repr.includes("(confirmed (some") ? repr : undefined;
      },
      120_000,
    );
    const anchor = `${output.anchor.txid}${output.anchor.vout.toString(16).padStart(8, "0")}`;
    expect(pledge).toContain(`(anchor 0x${anchor})`);
    expect(uints(pledge, "amount")).toBe(PLEDGED);
    const gtPerLv = uints(await readOnly(devnet, "dao-settings", "get-setting", [Cl.stringAscii("gt-per-lv")]), "ok");
    const gtMinted = (PLEDGED * gtPerLv) / 1_000_000n;
    expect(gtMinted).toBeGreaterThan(0n);
    expect(uints(pledge, "gt-minted")).toBe(gtMinted);
    const gtAfter = uints(await readOnly(devnet, "gt-token", "get-balance", [Cl.principal(pledger)]), "ok");
    expect(gtAfter - gtBefore).toBe(gtMinted);
    expect(await groupBalance(tapd.dao)).toBe(MINTED - ON_CONTRIBUTOR + PLEDGED);
  }, 300_000);

  it("a revenue epoch: routed fees minted as LV, split by allocation, operations share to contributor", async () => {
    const { tapd } = suite.stack.lightning;
    await openRoute(suite.stack);
    const swept = await routeAndSweepOneEpoch(suite.stack, suite.relay, EPOCH_BLOCKS);
    expect(swept.feesMsat).toBe(EXPECTED_FEES_MSAT);
    expect(swept.windowFeesMsat).toBe(swept.feesMsat);
    expect(swept.revenue).toBe(swept.windowFeesMsat / 1000n);
    // the default allocation: 10% infrastructure, 60% channels, 30% reserve
    expect(swept.shares).toEqual({
      infrastructure: swept.revenue / 10n,
      channels: (swept.revenue * 6n) / 10n,
      reserve: (swept.revenue * 3n) / 10n,
    });
    // reissued into the operator's group, which the sweeper found from lv.asset_id
    const groups = await listAssetGroups({ tapd: tapd.dao });
    expect(
      groups
        .find((g) => g.groupKey === lvGroupKey)
        ?.assets.filter((a) => a.name === mintName(swept.epoch))
        .map((a) => a.amount),
    ).toEqual([swept.revenue]);
    await until(
      "the operations share to arrive on contributor's tapd",
      async () => (await groupBalance(tapd.contributor)) === ON_CONTRIBUTOR - PLEDGED + swept.shares.infrastructure,
      120_000,
    );
    const paid = await listTransfers({ tapd: tapd.dao, label: shareLabel(swept.epoch, "operations") });
    expect(paid.flatMap((t) => t.outputs.filter((o) => !o.isLocal).map((o) => o.amount))).toEqual([
      swept.shares.infrastructure,
    ]);
    // the channels wallet is held by dao's tapd with the reserve (this stack's config), so its share stays there
    expect(await groupBalance(tapd.dao)).toBe(
      MINTED - ON_CONTRIBUTOR + PLEDGED + swept.shares.channels + swept.shares.reserve,
    );
  }, 300_000);

  it("never logged a macaroon or the relay key", () => {
    const { nodes } = suite.stack.lightning;
    expectNothingSecretLogged(suite, [
      nodes.dao.tapd_macaroon_path!,
      nodes.contributor.tapd_macaroon_path!,
      nodes.dao.lnd_macaroon_path!,
    ]);
  });
});
