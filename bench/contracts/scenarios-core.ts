// Cost scenarios for the governance core: transfer, propose, vote, conclude, claim, report, and the
// checkpoint search, each with a baseline measured in the same run.
import { Cl, privateKeyToAddress, randomPrivateKey, serializeCV, type ClarityValue } from "@stacks/transactions";
import { BENCH_BODY, type Context, type Ratio, type Row, type Scenario } from "./measure.ts";

const GT = 1_000_000n;

function payloadArg(tuple: ClarityValue): ClarityValue {
  return Cl.bufferFromHex(serializeCV(tuple) as unknown as string);
}

const CHANNEL_OPEN = Cl.tuple({
  peer: Cl.bufferFromHex("02" + "11".repeat(32)),
  host: Cl.stringAscii("127.0.0.1:9735"),
  "local-sats": Cl.uint(1_000_000),
  "push-sats": Cl.uint(0),
  private: Cl.bool(false),
  "base-fee-msat": Cl.uint(1000),
  "fee-ppm": Cl.uint(100),
  "cltv-delta": Cl.uint(40),
});

function freshAddresses(count: number): string[] {
  return Array.from({ length: count }, () => privateKeyToAddress(randomPrivateKey(), "testnet"));
}

function mineBurnTo(ctx: Context, height: bigint): void {
  const now = BigInt(ctx.simnet.burnBlockHeight);
  if (height > now) ctx.simnet.mineEmptyBurnBlocks(Number(height - now));
}

function proposalWindow(ctx: Context, id: bigint): { start: bigint; end: bigint } {
  const found = ctx.simnet.callReadOnlyFn("proposals", "get-proposal", [Cl.uint(id)], ctx.deployer).result;
  if (found.type !== "some" || found.value.type !== "tuple") throw new Error(`no proposal ${id}`);
  const start = found.value.value.start!;
  const end = found.value.value.end!;
  if (start.type !== "uint" || end.type !== "uint") throw new Error("bad proposal window");
  return { start: BigInt(start.value), end: BigInt(end.value) };
}

/** The full lifecycle of one channel-open, with 1,000 voters whose balances did not move since the snapshot. */
const lifecycle: Scenario = {
  name: "lifecycle",
  run(ctx) {
    const voters = freshAddresses(1000);
    for (const voter of voters) {
      ctx.call(
        "gt-token",
        "transfer",
        [Cl.uint(100n * GT), Cl.principal(ctx.wallet(1)), Cl.principal(voter), Cl.none()],
        ctx.wallet(1),
      );
    }
    const transfer = ctx.call(
      "gt-token",
      "transfer",
      [Cl.uint(5n * GT), Cl.principal(ctx.wallet(2)), Cl.principal(ctx.wallet(3)), Cl.none()],
      ctx.wallet(2),
    );
    // wallet_4 delegates to wallet_2 before the proposal, so wallet_2 votes with delegated votes
    ctx.call("gt-token", "delegate", [Cl.principal(ctx.wallet(2))], ctx.wallet(4));
    const propose = ctx.call(
      "proposals",
      "propose",
      [
        Cl.stringAscii("channel-open"),
        payloadArg(CHANNEL_OPEN),
        Cl.stringUtf8("bench"),
        Cl.stringUtf8(BENCH_BODY),
        Cl.none(),
      ],
      ctx.wallet(1),
    );
    const id = 1n;
    const { start, end } = proposalWindow(ctx, id);
    mineBurnTo(ctx, start);
    const votes = voters.map((voter) =>
      ctx.call("quadratic-voting", "vote", [Cl.uint(id), Cl.uint(1000), Cl.bool(true)], voter),
    );
    const delegatedVote = ctx.call(
      "quadratic-voting",
      "vote",
      [Cl.uint(id), Cl.uint(900_000), Cl.bool(true)],
      ctx.wallet(2),
    );
    ctx.call("quadratic-voting", "vote", [Cl.uint(id), Cl.uint(900_000), Cl.bool(true)], ctx.wallet(3));
    mineBurnTo(ctx, end);
    const conclude = ctx.call("proposals", "conclude", [Cl.uint(id)], ctx.wallet(5));
    ctx.simnet.mineEmptyBurnBlocks(7);
    const claim = ctx.call("execution-queue", "claim", [Cl.uint(id)], ctx.wallet(6));
    const report = ctx.call(
      "execution-queue",
      "report-success",
      [Cl.uint(id), Cl.bufferFromHex("aa".repeat(36))],
      ctx.wallet(6),
    );

    const first = votes[0]!;
    const hundredth = votes[99]!;
    const thousandth = votes[999]!;
    const rows: Row[] = [
      { name: "gt-token.transfer", cost: transfer },
      { name: "proposals.propose (channel-open)", cost: propose },
      { name: "quadratic-voting.vote (1st voter)", cost: first },
      { name: "quadratic-voting.vote (100th voter)", cost: hundredth },
      { name: "quadratic-voting.vote (1,000th voter)", cost: thousandth },
      { name: "quadratic-voting.vote (a delegate, with votes delegated to it)", cost: delegatedVote },
      { name: "proposals.conclude (passed, queued)", cost: conclude },
      { name: "execution-queue.claim", cost: claim },
      { name: "execution-queue.report-success", cost: report },
    ];
    const ratios: Ratio[] = [
      {
        name: "vote reads: 100th vs 1st",
        value: hundredth.readCount,
        baseline: first.readCount,
        ratio: hundredth.readCount / first.readCount,
        note: "must be 1.00",
      },
      {
        name: "vote reads: 1,000th vs 1st",
        value: thousandth.readCount,
        baseline: first.readCount,
        ratio: thousandth.readCount / first.readCount,
        note: "must be 1.00",
      },
      {
        name: "vote runtime: 1,000th vs 1st",
        value: thousandth.runtime,
        baseline: first.runtime,
        ratio: thousandth.runtime / first.runtime,
        note: "must be 1.00",
      },
      {
        name: "vote reads vs the 14-read target",
        value: first.readCount,
        baseline: 14,
        ratio: first.readCount / 14,
        note: `${Math.floor(15_000 / first.readCount)} votes fit in one block (read_count binds)`,
      },
      {
        name: "delegated vote reads vs the 13-read target",
        value: delegatedVote.readCount,
        baseline: 13,
        ratio: delegatedVote.readCount / 13,
        note: "credits are the delegated votes at the snapshot (get-votes-held)",
      },
    ];
    return { rows, ratios };
  },
};

/** A checkpointed GT transfer, with and without delegates, and a delegation, against a plain SIP-010 transfer. */
const transfers: Scenario = {
  name: "transfers",
  run(ctx) {
    const plain = ctx.deployBaseline("bench-plain-sip010", "plain-sip010.clar");
    ctx.call(plain, "faucet", [Cl.uint(1000)], ctx.wallet(1));
    const plainCost = ctx.call(
      plain,
      "transfer",
      [Cl.uint(5), Cl.principal(ctx.wallet(1)), Cl.principal(ctx.wallet(2)), Cl.none()],
      ctx.wallet(1),
    );
    const gtCost = ctx.call(
      "gt-token",
      "transfer",
      [Cl.uint(5), Cl.principal(ctx.wallet(1)), Cl.principal(ctx.wallet(2)), Cl.none()],
      ctx.wallet(1),
    );
    // wallet_3 delegates to wallet_5 and wallet_4 to wallet_6 (each delegation moves a whole balance)
    const delegateCost = ctx.call("gt-token", "delegate", [Cl.principal(ctx.wallet(7))], ctx.wallet(3));
    // moving to another delegate writes three accounts: the holder's, the old delegate's and the new one's
    const redelegateCost = ctx.call("gt-token", "delegate", [Cl.principal(ctx.wallet(5))], ctx.wallet(3));
    ctx.call("gt-token", "delegate", [Cl.principal(ctx.wallet(6))], ctx.wallet(4));
    const delegatedCost = ctx.call(
      "gt-token",
      "transfer",
      [Cl.uint(5), Cl.principal(ctx.wallet(3)), Cl.principal(ctx.wallet(4)), Cl.none()],
      ctx.wallet(3),
    );
    return {
      rows: [
        { name: "baseline: plain SIP-010 transfer", cost: plainCost },
        { name: "gt-token.transfer (both holders delegate to others)", cost: delegatedCost },
        { name: "gt-token.delegate (a holder with GT, from itself to another)", cost: delegateCost },
        { name: "gt-token.delegate (a holder with GT, from one delegate to another)", cost: redelegateCost },
      ],
      ratios: [
        {
          name: "transfer writes: GT vs plain SIP-010",
          value: gtCost.writeCount,
          baseline: plainCost.writeCount,
          ratio: gtCost.writeCount / plainCost.writeCount,
          note: "both count for themselves: votes move inside the two balance checkpoints",
        },
        {
          name: "transfer writes, both delegating to others: GT vs plain SIP-010",
          value: delegatedCost.writeCount,
          baseline: plainCost.writeCount,
          ratio: delegatedCost.writeCount / plainCost.writeCount,
          note: "target: at most 10 writes",
        },
        {
          name: "delegate writes vs the 12-write target",
          value: redelegateCost.writeCount,
          baseline: 12,
          ratio: redelegateCost.writeCount / 12,
          note: "from one delegate to another: the holder's, the old and the new delegate's checkpoints",
        },
        {
          name: "transfer reads: GT vs plain SIP-010",
          value: gtCost.readCount,
          baseline: plainCost.readCount,
          ratio: gtCost.readCount / plainCost.readCount,
          note: "",
        },
      ],
    };
  },
};

/** get-balance-at for holders with 1, 10, 100 and 1,000 checkpoints, asked about their middle height. */
const checkpoints: Scenario = {
  name: "checkpoints",
  run(ctx) {
    const sizes = [1, 10, 100, 1000];
    const holders = freshAddresses(sizes.length);
    const firsts: number[] = [];
    holders.forEach((holder, i) => {
      for (let n = 0; n < sizes[i]!; n++) {
        ctx.call(
          "gt-token",
          "transfer",
          [Cl.uint(GT), Cl.principal(ctx.wallet(4)), Cl.principal(holder), Cl.none()],
          ctx.wallet(4),
        );
        if (n === 0) firsts.push(ctx.simnet.blockHeight);
      }
    });
    ctx.simnet.mineEmptyBlock();
    // The 1-checkpoint holder is asked about a height after its checkpoint (the fast path every unchanged voter
    // takes); the others about the middle of their history, which needs the search.
    const costs = holders.map((holder, i) =>
      ctx.read("gt-token", "get-balance-at", [
        Cl.principal(holder),
        Cl.uint(i === 0 ? firsts[0]! : firsts[i]! + Math.floor(sizes[i]! / 2)),
      ]),
    );
    // The same 1-checkpoint holder asked about a height before its checkpoint: the search runs, with one probe.
    const oneSearched = ctx.read("gt-token", "get-balance-at", [Cl.principal(holders[0]!), Cl.uint(firsts[0]! - 1)]);
    const one = costs[0]!;
    const thousand = costs[3]!;
    const perDecade = (costs[3]!.runtime - costs[1]!.runtime) / 2;
    return {
      rows: [
        ...sizes.map((size, i) => ({
          name: `gt-token.get-balance-at (${size.toLocaleString("en-US")} checkpoint${size > 1 ? "s" : ""})`,
          cost: costs[i]!,
        })),
        { name: "gt-token.get-balance-at (1 checkpoint, a height before it: searched)", cost: oneSearched },
      ],
      ratios: [
        {
          name: "get-balance-at reads: 1,000 vs 1 checkpoint",
          value: thousand.readCount,
          baseline: one.readCount,
          ratio: thousand.readCount / one.readCount,
          note: `log2(1000) = ${Math.log2(1000).toFixed(2)}`,
        },
        {
          name: "get-balance-at runtime: 1,000 vs 1 checkpoint",
          value: thousand.runtime,
          baseline: one.runtime,
          ratio: thousand.runtime / one.runtime,
          note:
            `log2(1000) = ${Math.log2(1000).toFixed(2)}; 1 checkpoint is a single read, ` +
            "each probe costs about as much",
        },
        {
          name: "get-balance-at runtime, both searched: 1,000 vs 1 checkpoint",
          value: thousand.runtime,
          baseline: oneSearched.runtime,
          ratio: thousand.runtime / oneSearched.runtime,
          note: `11 probes vs 1; log2(1000) = ${Math.log2(1000).toFixed(2)}`,
        },
        {
          name: "get-balance-at runtime added per 10x checkpoints (100->1,000 vs 10->100)",
          value: costs[3]!.runtime - costs[2]!.runtime,
          baseline: costs[2]!.runtime - costs[1]!.runtime,
          ratio: (costs[3]!.runtime - costs[2]!.runtime) / (costs[2]!.runtime - costs[1]!.runtime),
          note: `~1.0 means logarithmic growth (${Math.round(perDecade).toLocaleString("en-US")} per decade)`,
        },
      ],
    };
  },
};

/** Our vote against an ExecutorDAO-style vote (lock tokens, one token one vote), same simnet, same limits. */
const edeVote: Scenario = {
  name: "ede-vote",
  run(ctx) {
    const ede = ctx.deployBaseline("bench-ede-voting", "ede-voting.clar");
    ctx.call(ede, "faucet", [Cl.uint(1000)], ctx.wallet(2));
    ctx.call(ede, "add-proposal", [Cl.uint(1), Cl.uint(0), Cl.uint(10_000_000)], ctx.wallet(1));
    const edeCost = ctx.call(ede, "vote", [Cl.uint(10), Cl.bool(true), Cl.uint(1)], ctx.wallet(2));
    ctx.call(
      "proposals",
      "propose",
      [
        Cl.stringAscii("channel-open"),
        payloadArg(CHANNEL_OPEN),
        Cl.stringUtf8("bench"),
        Cl.stringUtf8(BENCH_BODY),
        Cl.none(),
      ],
      ctx.wallet(1),
    );
    mineBurnTo(ctx, proposalWindow(ctx, 1n).start);
    const ours = ctx.call("quadratic-voting", "vote", [Cl.uint(1), Cl.uint(10), Cl.bool(true)], ctx.wallet(3));
    return {
      rows: [{ name: "baseline: ExecutorDAO-style vote", cost: edeCost }],
      ratios: [
        {
          name: "vote reads: ours vs ExecutorDAO-style",
          value: ours.readCount,
          baseline: edeCost.readCount,
          ratio: ours.readCount / edeCost.readCount,
          note: `${Math.floor(15_000 / ours.readCount)} vs ${Math.floor(15_000 / edeCost.readCount)} votes per block`,
        },
        {
          name: "vote reads: ours vs 15 (reference: the best Stacks DAO vote)",
          value: ours.readCount,
          baseline: 15,
          ratio: ours.readCount / 15,
          note: "reference figure, not re-measured here",
        },
        {
          name: "vote reads: ours vs 20 (reference: ExecutorDAO's vote)",
          value: ours.readCount,
          baseline: 20,
          ratio: ours.readCount / 20,
          note: "reference figure, not re-measured here",
        },
      ],
    };
  },
};

export const coreScenarios: Scenario[] = [lifecycle, transfers, checkpoints, edeVote];
