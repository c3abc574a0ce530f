// The liquidity monitor against the REAL Lightning daemons: real btcd and lnd (dao, peer) from
// offchain/regtest/harness/index.ts, the loopd simulator moving real money between dao and peer, and the real contracts
// on the node emulation. The relay is started from its config file. A rebalance-policy passes by vote; while dao's
// inbound share is fine the monitor says so (liquidity-ok); real payments from peer then drain dao's inbound on two
// channels, and the monitor makes one Loop Out over the emptier one, within the policy's budget, records it with
// report-autonomous (the swap hash as evidence), and gives every other decision its reason code: the other channel
// waits for the in-flight slot, the swapped channel waits for its swap, and once the swap has confirmed the spent
// budget stops both. A second policy whose fee cap no quote can meet gets fees-too-high and no swap.
// Bitcoin blocks are mined by this file only (no background miner), so a swap stays in flight until it mines one.
import { Cl, serializeCV } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import {
  connectLoop,
  createInvoice,
  findChannel,
  getChannelPolicy,
  listSwaps,
  openChannel,
  payInvoice,
  scanLiquidity,
  type LiquidityChannel,
  type Outpoint,
} from "../../lightning/index.ts";
import { DEPLOYER, passAction, readOnly } from "../../devnet/governance.ts";
import { startRegtestRelayStack } from "./regtest-stack.ts";
import { relaySuite } from "./relay-suite.ts";
import { until } from "./wait.ts";

/** The stack's background miner is pushed out of the test's lifetime: this file decides when a block is found. */
const NO_BACKGROUND_MINING_MS = 3_600_000;
const SWAP_BUDGET_SATS = 300_000;

/** The harness's peer -> dao channel (10M sats, half pushed to dao), and a second one this file opens. */
let bootstrap: LiquidityChannel;
let second: LiquidityChannel;

interface Decision {
  rule: string;
  decision: string;
  detail: string;
}

async function daoChannels(): Promise<LiquidityChannel[]> {
  return (await scanLiquidity({ lnd: suite.stack.lightning.lnd.dao })).channels;
}

/** Waits for a finished monitor round under policy `id` whose decisions, by rule, are exactly `expected`. */
async function decisionsBecome(id: bigint, expected: Record<string, string>): Promise<Decision[]> {
  let last: unknown;
  try {
    return await until(
      `the monitor to decide ${JSON.stringify(expected)} under policy ${id}`,
      async () => {
        const status = (await suite.relay.status()) as {
          workers: Record<string, { policy?: { id: string } | null; lastDecisions?: Decision[] }>;
        };
        const monitor = status.workers["liquidity-monitor"];
        last = monitor;
        const decisions = monitor?.lastDecisions ?? [];
        if (monitor?.policy?.id !== String(id) || decisions.length !== Object.keys(expected).length) return undefined;
        return decisions.every((d) => expected[d.rule] === d.decision) ? decisions : undefined;
      },
      60_000,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last status: ${JSON.stringify(last)}`);
  }
}

function policyPayload(fields: {
  minInboundPct: number;
  maxSwapFeePpm: number;
  budgetSats: number;
  maxInFlight: number;
}): Uint8Array {
  return Buffer.from(
    serializeCV(
      Cl.tuple({
        "min-inbound-pct": Cl.uint(fields.minInboundPct),
        "min-outbound-pct": Cl.uint(10),
        "max-swap-fee-ppm": Cl.uint(fields.maxSwapFeePpm),
        "budget-sats": Cl.uint(fields.budgetSats),
        // burn blocks: far more than this file mines on the node emulation, so every swap falls in period 0
        "budget-period": Cl.uint(10_000),
        "max-in-flight": Cl.uint(fields.maxInFlight),
        peers: Cl.list([]),
      }),
    ),
    "hex",
  );
}

async function passPolicy(payload: Uint8Array, title: string): Promise<bigint> {
  const id = await passAction(suite.stack.devnet, "rebalance-policy", payload, title);
  await until(
    `rebalance-policy #${id} reported`,
    async () => (await suite.relay.journal.actions.get(id))?.state === "reported",
    120_000,
  );
  expect(await readOnly(suite.stack.devnet, "execution-queue", "get-active-policy", [])).toContain(`(id u${id})`);
  return id;
}

/** peer pays dao `sats` over one channel: dao's side of it grows, its inbound shrinks. */
async function drainInbound(channel: LiquidityChannel, sats: number): Promise<void> {
  const invoice = await createInvoice({
    lnd: suite.stack.lightning.lnd.dao,
    msat: BigInt(sats) * 1_000n,
    description: "drain dao's inbound (liquidity-monitor regtest)",
  });
  await payInvoice({
    lnd: suite.stack.lightning.lnd.peer,
    request: invoice.request,
    maxFeeSats: 0,
    outgoingChannelIds: [channel.id],
  });
}

async function openSecondChannel(): Promise<Outpoint> {
  const { dao, peer } = suite.stack.lightning.lnd;
  const daoPubkey = suite.stack.lightning.nodes.dao.pubkey;
  const outpoint = await openChannel({
    lnd: peer,
    peerPubkey: daoPubkey,
    localSats: 2_000_000,
    pushSats: 1_000_000,
    isPrivate: false,
    memo: "second peer -> dao channel (liquidity-monitor regtest)",
  });
  await suite.stack.lightning.mine(3);
  await until("the second channel to be active on both ends", async () => {
    const ends = await Promise.all([
      findChannel({ lnd: peer, channel: outpoint }),
      findChannel({ lnd: dao, channel: outpoint }),
    ]);
    return ends.every((end) => end?.isActive) ? true : undefined;
  });
  // peer routes its payment over the channel from its graph, where the channel's edge lands a moment after it is
  // active.
  await until("the second channel in peer's graph", async () =>
    getChannelPolicy({ lnd: peer, channel: outpoint, ownPubkey: suite.stack.lightning.nodes.peer.pubkey }).then(
      () => true,
      () => undefined,
    ),
  );
  return outpoint;
}

const loopClient = () =>
  connectLoop({
    restUrl: suite.stack.lightning.loop.restUrl,
    cert: suite.stack.lightning.loop.cert,
    macaroonHex: suite.stack.lightning.loop.macaroonHex,
  });
const autonomousSwaps = async () =>
  (await listSwaps({ loop: loopClient() })).filter((s) => s.label.startsWith("lvdao:auto:"));
const inboundPct = (c: LiquidityChannel) => (c.remoteSats * 100) / (c.localSats + c.remoteSats);
const rule = (c: LiquidityChannel) => `channel:${c.id}`;

const suite = relaySuite("liquidity-monitor.regtest.test.ts", {
  start: () => startRegtestRelayStack("liquidity-monitor", { blockIntervalMs: NO_BACKGROUND_MINING_MS }),
  prepare: async () => {
    const outpoint = await openSecondChannel();
    const channels = await daoChannels();
    expect(channels).toHaveLength(2);
    second = channels.find((c) => c.channel.txid === outpoint.txid && c.channel.vout === outpoint.vout)!;
    bootstrap = channels.find((c) => c !== second)!;
    return { monitors: { liquidity_poll_ms: 300, revenue_epoch_blocks: 52_560 } };
  },
});

describe("the liquidity monitor against real lnd on regtest (loopd simulator)", () => {
  let policyId = 0n;
  let swapHash = "";

  it("under a voted rebalance-policy, channels within the band get liquidity-ok and no swap", async () => {
    for (const channel of [bootstrap, second]) expect(inboundPct(channel)).toBeGreaterThan(40);
    policyId = await passPolicy(
      policyPayload({ minInboundPct: 30, maxSwapFeePpm: 50_000, budgetSats: SWAP_BUDGET_SATS, maxInFlight: 1 }),
      "keep 30% inbound, 300k sats per period",
    );
    const decisions = await decisionsBecome(policyId, {
      [rule(bootstrap)]: "liquidity-ok",
      [rule(second)]: "liquidity-ok",
    });
    expect(decisions.find((d) => d.rule === rule(bootstrap))!.detail).toMatch(
      /^inbound \d+%, outbound \d+% within 30% inbound \/ 10% outbound$/,
    );
    expect(await autonomousSwaps()).toEqual([]);
  });

  it("inbound drained by payments: one Loop Out over the emptier channel, the other waits for the slot", async () => {
    await drainInbound(bootstrap, 3_000_000);
    await drainInbound(second, 800_000);
    const drained = await daoChannels();
    for (const channel of drained) expect(inboundPct(channel)).toBeLessThan(30);

    const label = `lvdao:auto:${policyId}:1`;
    // HTLC_PUBLISHED: both invoices are paid and the server's on-chain payment waits for a block.
    const [swap] = await until("the monitor's swap to publish its on-chain payment", async () => {
      const found = await listSwaps({ loop: loopClient(), label });
      return found[0]?.state === "HTLC_PUBLISHED" ? found : undefined;
    });
    swapHash = swap!.id;
    // Clamped from the ~4M sats the bootstrap channel needs down to the policy's budget.
    expect(swap).toMatchObject({ type: "LOOP_OUT", amountSats: SWAP_BUDGET_SATS, state: "HTLC_PUBLISHED" });
    // No block since: the swap's on-chain payment is unconfirmed, so both channels wait, each with its reason.
    const waiting = await decisionsBecome(policyId, {
      [rule(bootstrap)]: "rule-in-flight",
      [rule(second)]: "in-flight",
    });
    expect(waiting.find((d) => d.rule === rule(second))!.detail).toContain("1 swap(s) in flight, the policy allows 1");
    expect((await daoChannels()).find((c) => c.id === bootstrap.id)!.remoteSats).toBeGreaterThanOrEqual(
      drained.find((c) => c.id === bootstrap.id)!.remoteSats + SWAP_BUDGET_SATS,
    );
    expect(await autonomousSwaps()).toHaveLength(1);
  });

  it("the swap is recorded with report-autonomous, its hash as evidence, counted against the budget", async () => {
    const spent = await until("report-autonomous to confirm", async () => {
      const repr = await readOnly(suite.stack.devnet, "execution-queue", "get-autonomous-spent", [
        Cl.uint(policyId),
        Cl.uint(0),
      ]);
      return repr !== "u0" ? repr : undefined;
    });
    expect(spent).toBe(`u${SWAP_BUDGET_SATS}`);
    const response = await fetch(
      `${suite.stack.devnet.url}/extended/v2/smart-contracts/${DEPLOYER}.execution-queue/logs?limit=50`,
    );
    const { results } = (await response.json()) as { results: { contract_log: { value: { repr: string } } }[] };
    const recorded = results
      .map((r) => r.contract_log.value.repr)
      .filter((repr) => repr.includes('"autonomous-action"'));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toContain(`(evidence 0x${swapHash})`);
    expect(recorded[0]).toContain(`(amount u${SWAP_BUDGET_SATS})`);
    expect(recorded[0]).toContain('(kind "loop-out")');
  });

  it("once the swap confirms, the spent budget stops both channels (budget-spent), still under threshold", async () => {
    await suite.stack.lightning.mine(1);
    await until(
      "the autonomous swap to succeed",
      async () => (await listSwaps({ loop: loopClient(), label: `lvdao:auto:${policyId}:1` }))[0]?.state === "SUCCESS",
    );
    const decisions = await decisionsBecome(policyId, {
      [rule(bootstrap)]: "budget-spent",
      [rule(second)]: "budget-spent",
    });
    for (const d of decisions)
      expect(d.detail).toContain(`0 sats of the ${SWAP_BUDGET_SATS}-sat budget left this period`);
    for (const channel of await daoChannels()) expect(inboundPct(channel)).toBeLessThan(30);
    expect(await autonomousSwaps()).toHaveLength(1);
  });

  it("a policy whose fee cap no quote meets gets fees-too-high on both channels, and no swap", async () => {
    const strict = await passPolicy(
      policyPayload({ minInboundPct: 30, maxSwapFeePpm: 1, budgetSats: 10_000_000, maxInFlight: 2 }),
      "keep 30% inbound, at most 1 ppm in fees",
    );
    const decisions = await decisionsBecome(strict, {
      [rule(bootstrap)]: "fees-too-high",
      [rule(second)]: "fees-too-high",
    });
    for (const d of decisions) expect(d.detail).toMatch(/is quoted at \d+ sats, the policy allows \d+$/);
    expect(await autonomousSwaps()).toHaveLength(1);
  });

  it("every reason shown in status is also counted in /metrics, and the macaroon never reached the log", () => {
    const metrics = suite.relay.metrics.registry.render();
    expect(metrics).toContain('lvdao_relay_liquidity_decisions_total{decision="loop-out"} 1');
    for (const reason of ["liquidity-ok", "rule-in-flight", "in-flight", "budget-spent", "fees-too-high"]) {
      expect(metrics).toMatch(new RegExp(`lvdao_relay_liquidity_decisions_total\\{decision="${reason}"\\} [1-9]`));
    }
    const text = suite.log.lines.join("\n");
    expect(text).toContain('"reason":"budget-spent"');
    expect(text).not.toContain(suite.stack.lightning.loop.macaroonHex);
  });
});
