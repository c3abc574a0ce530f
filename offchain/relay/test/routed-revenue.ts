// Routing revenue on the real regtest stack for the revenue sweeper's suites: dao charges a fee on its channel to
// peer, contributor opens a channel to dao, and contributor pays peer's invoices through dao, so dao's forwarding
// history has fees. Then one revenue epoch is closed on the node emulation and the sweeper's record of it is read.
import { Cl } from "@stacks/transactions";
import {
  createInvoice,
  findChannel,
  getForwards,
  listChannels,
  openChannel,
  payInvoice,
  updateChannelPolicy,
} from "../../lightning/index.ts";
import { lastEndedEpoch } from "../monitors/revenue-split.ts";
import type { RelayRuntime } from "../start.ts";
import { readOnly } from "../../devnet/governance.ts";
import type { RegtestRelayStack } from "./regtest-stack.ts";
import { until } from "./wait.ts";

/** dao's fee on the channel it forwards over (to peer): each 100k-sat payment earns it 510 sats. */
export const FORWARD_POLICY = {
  baseFeeMsat: 10_000n,
  feeRatePpm: 5_000,
  cltvDelta: 40,
  inboundBaseDiscountMsat: 0,
  inboundFeeRateDiscountPpm: 0,
};
export const PAYMENT_MSAT = 100_000_000n;
export const PAYMENTS = 3;
/** What dao earns for forwarding PAYMENTS payments of PAYMENT_MSAT under FORWARD_POLICY. */
export const EXPECTED_FEES_MSAT =
  BigInt(PAYMENTS) * (FORWARD_POLICY.baseFeeMsat + (PAYMENT_MSAT * BigInt(FORWARD_POLICY.feeRatePpm)) / 1_000_000n);

export const uints = (repr: string, field: string): bigint =>
  BigInt(new RegExp(`\\(${field} u(\\d+)\\)`).exec(repr)?.[1] ?? "-1");

/** The route contributor -> dao -> peer, with dao's fee on the last hop. */
export async function openRoute(stack: RegtestRelayStack): Promise<void> {
  const { lnd, nodes } = stack.lightning;
  const bootstrap = (await listChannels({ lnd: lnd.dao })).find(
    (c) => c.peerPubkey === nodes.peer.pubkey && c.state === "open",
  );
  if (!bootstrap) throw new Error("the harness's peer -> dao channel is not open");
  await updateChannelPolicy({ lnd: lnd.dao, target: bootstrap.channel, policy: FORWARD_POLICY });
  const funding = await openChannel({
    lnd: lnd.contributor,
    peerPubkey: nodes.dao.pubkey,
    localSats: 3_000_000,
    pushSats: 0,
    isPrivate: false,
    memo: "contributor -> dao (routed revenue)",
  });
  await until(
    "the contributor -> dao channel to be active on both ends",
    async () => {
      const ends = await Promise.all([
        findChannel({ lnd: lnd.contributor, channel: funding }),
        findChannel({ lnd: lnd.dao, channel: funding }),
      ]);
      return ends.every((end) => end?.isActive) ? true : undefined;
    },
    60_000,
  );
}

export interface SweptEpoch {
  epoch: bigint;
  /** lnd's forwarding fees on dao for the payments */
  feesMsat: bigint;
  /** lnd's forwarding fees on dao inside the epoch's window as the sweeper journaled it ([after, before)) */
  windowFeesMsat: bigint;
  revenue: bigint;
  shares: { infrastructure: bigint; channels: bigint; reserve: bigint };
}

/**
 * Waits for the sweeper to finish the epochs already ended, routes the payments, ends one more epoch and returns
 * the sweeper's record of it (read back from lv-ledger) with dao's forwarding fees for the payments.
 */
export async function routeAndSweepOneEpoch(
  stack: RegtestRelayStack,
  relay: RelayRuntime,
  epochBlocks: number,
): Promise<SweptEpoch> {
  const { lnd } = stack.lightning;
  const latestJob = async () => (await relay.journal.jobs.list("epoch:")).at(-1);
  await until(
    "the sweeper to catch up",
    async () => {
      const ended = lastEndedEpoch((await relay.queue.tip()).burnHeight, epochBlocks);
      const latest = await latestJob();
      if (ended === undefined) return true;
      return latest !== undefined && JSON.parse(latest.value).state === "done" && BigInt(latest.key.slice(6)) === ended;
    },
    120_000,
  );
  const paidFrom = new Date(Math.floor(Date.now() / 1000) * 1000);
  for (let i = 0; i < PAYMENTS; i++) {
    const invoice = await createInvoice({
      lnd: lnd.peer,
      msat: PAYMENT_MSAT,
      description: `routed ${i} (revenue epoch)`,
    });
    // contributor learns the new channel and dao's fee from gossip a moment after the channel is active.
    await until(
      `payment ${i} to be routed`,
      () =>
        payInvoice({ lnd: lnd.contributor, request: invoice.request, maxFeeSats: 5_000 }).then(
          () => true,
          () => undefined,
        ),
      60_000,
    );
  }
  const forwards = await until("dao's forwards", async () => {
    const found = await getForwards({ lnd: lnd.dao, after: paidFrom, before: new Date(Date.now() + 1_000) });
    return found.length === PAYMENTS ? found : undefined;
  });
  const feesMsat = forwards.reduce((sum, f) => sum + f.feeMsat, 0n);
  // lnd keeps forwards by the second and the sweeper's windows end on a whole second: end the epoch a second later.
  const lastForward = Math.max(...forwards.map((f) => f.at.getTime()));
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, Math.floor(lastForward / 1000) * 1000 + 1000 - Date.now())),
  );
  await stack.devnet.mine({ burn: epochBlocks });
  const recorded = await until(
    "an epoch with the revenue",
    async () => {
      const latest = await latestJob();
      if (!latest) return undefined;
      const epoch = BigInt(latest.key.slice(6));
      const repr = await readOnly(stack.devnet, "lv-ledger", "get-revenue-epoch", [Cl.uint(epoch)]);
      return uints(repr, "revenue-sats") > 0n ? { epoch, repr } : undefined;
    },
    120_000,
  );
  const job = JSON.parse(
    (await relay.journal.jobs.list("epoch:")).find((j) => BigInt(j.key.slice(6)) === recorded.epoch)!.value,
  ) as { after: string; before: string };
  const [after, before] = [new Date(job.after), new Date(job.before)];
  const inWindow = (await getForwards({ lnd: lnd.dao, after, before })).filter((f) => f.at >= after && f.at < before);
  return {
    epoch: recorded.epoch,
    feesMsat,
    windowFeesMsat: inWindow.reduce((sum, f) => sum + f.feeMsat, 0n),
    revenue: uints(recorded.repr, "revenue-sats"),
    shares: {
      infrastructure: uints(recorded.repr, "to-infrastructure"),
      channels: uints(recorded.repr, "to-channels"),
      reserve: uints(recorded.repr, "to-reserve"),
    },
  };
}
