// The relay's LV flows against the REAL daemons: real btcd, lnd (dao, peer, contributor) and tapd (dao, contributor)
// from offchain/regtest/harness.ts, and the real contracts on the node emulation; one relay, started from its config
// file, runs throughout. LV is a grouped Taproot Asset the operator mints on dao's tapd and names in lv.asset_id;
// the reserve wallet is dao's tapd, the operations wallet contributor's. The flows run in order:
//   lv-transfer: a voted transfer moves LV from the reserve to operations with a real tapd send, labelled lvdao:<id>;
//   a pledge: contributor's tapd pays the address the pledge watcher published, and GT is minted;
//   a revenue epoch: payments routed contributor -> dao -> peer earn dao fees, the sweeper mints them as LV into the
//   group and pays the operations share to contributor's tapd.
// Bitcoin blocks come from the stack's background miner (one a second), as they would on a live chain.
import { readFileSync } from "node:fs";
import { Cl, serializeCV } from "@stacks/transactions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createInvoice,
  findChannel,
  getForwards,
  listAssetBalances,
  listAssetGroups,
  listChannels,
  listTransfers,
  mintGroupedAsset,
  openChannel,
  payInvoice,
  sendAsset,
  updateChannelPolicy,
  type TapdClient,
} from "../../lightning/index.ts";
import { loadConfig } from "../config.ts";
import { memoryLogger } from "../log.ts";
import { shareLabel } from "../monitors/revenue-sweeper.ts";
import { lastEndedEpoch } from "../monitors/revenue-split.ts";
import { startRelay, type RelayRuntime } from "../start.ts";
import { passConvictionAction, readOnly, send } from "./governance.ts";
import { startRegtestRelayStack, type RegtestRelayStack } from "./regtest-stack.ts";
import { until } from "./wait.ts";

const MINTED = 1_000_000n;
const TRANSFERRED = 25_000n;
const PLEDGED = 4_000n;
const EPOCH_BLOCKS = 20;
/** dao's fee on the channel it forwards over (to peer), so each 100k-sat payment earns 510 sats. */
const FORWARD_POLICY = { baseFeeMsat: 10_000n, feeRatePpm: 5_000, cltvDelta: 40, inboundBaseDiscountMsat: 0, inboundFeeRateDiscountPpm: 0 };
const PAYMENT_MSAT = 100_000_000n;
const PAYMENTS = 3;

let stack: RegtestRelayStack;
let relay: RelayRuntime;
let lvAssetId = "";
let lvGroupKey = "";
const log = memoryLogger();
const started = Date.now();

const uints = (repr: string, field: string): bigint => BigInt(new RegExp(`\\(${field} u(\\d+)\\)`).exec(repr)?.[1] ?? "-1");
const groupBalance = async (tapd: TapdClient): Promise<bigint> => (await listAssetBalances({ tapd, by: "group" })).find((b) => b.key === lvGroupKey)?.balance ?? 0n;

beforeAll(async () => {
  stack = await startRegtestRelayStack("lv");
  const { tapd } = stack.lightning;
  // The operator's first LV tranche: a new group on dao's tapd (the reserve), confirmed by the background miner.
  const minted = await mintGroupedAsset({ tapd: tapd.dao, name: "LV", amount: MINTED });
  lvAssetId = minted.asset.assetId;
  lvGroupKey = minted.asset.groupKey!;
  await until("the LV mint to confirm", async () => (await groupBalance(tapd.dao)) === MINTED, 60_000);
  const configPath = stack.writeConfig("relay", { lvAssetId, monitors: { revenue_epoch_blocks: EPOCH_BLOCKS, liquidity_report_blocks: 1_000 } });
  const { config, secrets } = loadConfig(configPath, {});
  relay = await startRelay(config, { secrets, logSink: (line) => log.lines.push(line) });
}, 300_000);

afterAll(async () => {
  await relay?.stop();
  await stack?.stop();
  console.log(`lv.regtest.test.ts wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

describe("LV on real tapd: lv-transfer, a pledge, a revenue epoch", () => {
  it("lv-transfer: a voted transfer sends LV from the reserve (dao's tapd) to operations (contributor's tapd), labelled, the anchor txid as evidence", async () => {
    const { tapd } = stack.lightning;
    const payload = Buffer.from(serializeCV(Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.uint(TRANSFERRED) })), "hex");
    const id = await passConvictionAction(stack.devnet, "lv-transfer", payload, "move LV to operations", MINTED);
    await until(`lv-transfer #${id} reported`, async () => (await relay.journal.get(id))?.state === "reported", 120_000);
    expect(await readOnly(stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe('(ok "executed")');
    const sent = await listTransfers({ tapd: tapd.dao, label: `lvdao:${id}` });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.outputs.filter((o) => !o.isLocal).map((o) => o.amount)).toEqual([TRANSFERRED]);
    expect(await readOnly(stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(`(evidence (some 0x${sent[0]!.anchorTxid}))`);
    await until("contributor's tapd to hold the LV", async () => (await groupBalance(tapd.contributor)) === TRANSFERRED, 90_000);
    expect(await groupBalance(tapd.dao)).toBe(MINTED - TRANSFERRED);
  }, 300_000);

  it("a pledge paid from contributor's tapd: the watcher publishes a reserve address, confirms the receipt's anchor and amount, and GT is minted", async () => {
    const { tapd } = stack.lightning;
    const { devnet } = stack;
    const pledger = devnet.account("wallet_5").address;
    const gtBefore = uints(await readOnly(devnet, "gt-token", "get-balance", [Cl.principal(pledger)]), "ok");
    const created = await send(devnet, "wallet_5", "lv-ledger", "pledge", [Cl.uint(PLEDGED)]);
    const pledgeId = BigInt(/u(\d+)/.exec(created)![1]!);
    const address = await until("the pledge's address", async () => /\(tap-addr \(some "([^"]+)"\)\)/.exec(await readOnly(devnet, "lv-ledger", "get-pledge", [Cl.uint(pledgeId)]))?.[1], 60_000);
    const paid = await sendAsset({ tapd: tapd.contributor, addresses: [address], label: "my pledge" });
    const output = paid.outputs.find((o) => !o.isLocal)!;
    expect(output.amount).toBe(PLEDGED);
    const pledge = await until("the contribution to be confirmed", async () => {
      const repr = await readOnly(devnet, "lv-ledger", "get-pledge", [Cl.uint(pledgeId)]);
      return repr.includes("(confirmed (some") ? repr : undefined;
    }, 120_000);
    const anchor = `${output.anchor.txid}${output.anchor.vout.toString(16).padStart(8, "0")}`;
    expect(pledge).toContain(`(anchor 0x${anchor})`);
    expect(uints(pledge, "amount")).toBe(PLEDGED);
    const gtPerLv = uints(await readOnly(devnet, "dao-settings", "get-setting", [Cl.stringAscii("gt-per-lv")]), "ok");
    const gtMinted = (PLEDGED * gtPerLv) / 1_000_000n;
    expect(gtMinted).toBeGreaterThan(0n);
    expect(uints(pledge, "gt-minted")).toBe(gtMinted);
    const gtAfter = uints(await readOnly(devnet, "gt-token", "get-balance", [Cl.principal(pledger)]), "ok");
    expect(gtAfter - gtBefore).toBe(gtMinted);
    expect(await groupBalance(tapd.dao)).toBe(MINTED - TRANSFERRED + PLEDGED);
  }, 300_000);

  it("one revenue epoch after payments routed contributor -> dao -> peer: lnd's forwarding fees are minted as LV in the group, split by the allocation, the operations share sent to contributor's tapd", async () => {
    const { lnd, tapd, nodes } = stack.lightning;
    const { devnet } = stack;
    const bootstrap = (await listChannels({ lnd: lnd.dao })).find((c) => c.peerPubkey === nodes.peer.pubkey && c.state === "open")!;
    await updateChannelPolicy({ lnd: lnd.dao, target: bootstrap.channel, policy: FORWARD_POLICY });
    const funding = await openChannel({ lnd: lnd.contributor, peerPubkey: nodes.dao.pubkey, localSats: 3_000_000, pushSats: 0, isPrivate: false, memo: "contributor -> dao (lv regtest)" });
    await until("the contributor -> dao channel to be active on both ends", async () => {
      const ends = await Promise.all([findChannel({ lnd: lnd.contributor, channel: funding }), findChannel({ lnd: lnd.dao, channel: funding })]);
      return ends.every((end) => end?.isActive) ? true : undefined;
    }, 60_000);
    // The sweeper catches up with the epochs the votes' burn blocks ended, so the payments land in one epoch.
    await until("the sweeper to catch up", async () => {
      const ended = lastEndedEpoch((await relay.queue.tip()).burnHeight, EPOCH_BLOCKS);
      const latest = (await relay.journal.listValues("epoch:")).at(-1);
      return latest !== undefined && JSON.parse(latest.value).state === "done" && BigInt(latest.key.slice(6)) === ended;
    }, 120_000);
    const paidFrom = new Date(Math.floor(Date.now() / 1000) * 1000);
    for (let i = 0; i < PAYMENTS; i++) {
      const invoice = await createInvoice({ lnd: lnd.peer, msat: PAYMENT_MSAT, description: `routed ${i} (lv regtest)` });
      // contributor learns the new channel and dao's fee from gossip a moment after the channel is active.
      await until(`payment ${i} to be routed`, () => payInvoice({ lnd: lnd.contributor, request: invoice.request, maxFeeSats: 5_000 }).then(() => true, () => undefined), 60_000);
    }
    const forwards = await until("dao's forwards", async () => {
      const found = await getForwards({ lnd: lnd.dao, after: paidFrom, before: new Date(Date.now() + 1_000) });
      return found.length === PAYMENTS ? found : undefined;
    });
    const feesMsat = forwards.reduce((sum, f) => sum + f.feeMsat, 0n);
    expect(feesMsat).toBe(BigInt(PAYMENTS) * (FORWARD_POLICY.baseFeeMsat + (PAYMENT_MSAT * BigInt(FORWARD_POLICY.feeRatePpm)) / 1_000_000n));
    // lnd keeps forwards by the second and the sweeper's windows end on a whole second: close the epoch a second later.
    const lastForward = Math.max(...forwards.map((f) => f.at.getTime()));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.floor(lastForward / 1000) * 1000 + 1000 - Date.now())));
    await devnet.mine({ burn: EPOCH_BLOCKS });
    const recorded = await until("an epoch with the revenue", async () => {
      const latest = (await relay.journal.listValues("epoch:")).at(-1);
      if (!latest) return undefined;
      const epoch = BigInt(latest.key.slice(6));
      const repr = await readOnly(devnet, "lv-ledger", "get-revenue-epoch", [Cl.uint(epoch)]);
      return uints(repr, "revenue-sats") > 0n ? { epoch, repr } : undefined;
    }, 120_000);
    const revenue = uints(recorded.repr, "revenue-sats");
    expect(revenue).toBe(feesMsat / 1000n);
    const shares = { infrastructure: uints(recorded.repr, "to-infrastructure"), channels: uints(recorded.repr, "to-channels"), reserve: uints(recorded.repr, "to-reserve") };
    // the default allocation: 10% infrastructure, 60% channels, 30% reserve
    expect(shares).toEqual({ infrastructure: revenue / 10n, channels: (revenue * 6n) / 10n, reserve: (revenue * 3n) / 10n });
    const groups = await listAssetGroups({ tapd: tapd.dao });
    expect(groups.find((g) => g.groupKey === lvGroupKey)?.assets.filter((a) => a.name === `LV-e${recorded.epoch}`).map((a) => a.amount)).toEqual([revenue]);
    await until("the operations share to arrive on contributor's tapd", async () => (await groupBalance(tapd.contributor)) === TRANSFERRED - PLEDGED + shares.infrastructure, 120_000);
    const paid = await listTransfers({ tapd: tapd.dao, label: shareLabel(recorded.epoch, "operations") });
    expect(paid.flatMap((t) => t.outputs.filter((o) => !o.isLocal).map((o) => o.amount))).toEqual([shares.infrastructure]);
    // the channels wallet is held by dao's tapd with the reserve, so its share stays there with the reserve's
    expect(await groupBalance(tapd.dao)).toBe(MINTED - TRANSFERRED + PLEDGED + shares.channels + shares.reserve);
  }, 300_000);

  it("never logged a macaroon or the relay key", () => {
    const text = log.lines.join("\n");
    expect(log.lines.length).toBeGreaterThan(10);
    for (const node of ["dao", "contributor"] as const) {
      expect(text).not.toContain(readFileSync(stack.lightning.nodes[node].tapd_macaroon_path!).toString("hex"));
    }
    expect(text).not.toContain(readFileSync(stack.lightning.nodes.dao.lnd_macaroon_path!).toString("hex"));
    expect(text).not.toContain(stack.devnet.account("wallet_6").privateKey);
  });
});
