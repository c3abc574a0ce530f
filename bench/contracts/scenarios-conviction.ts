// Cost scenarios of conviction staking (after t = 1, 1,000 and 1,000,000 burn blocks, and with many
// stakers and proposals), conclude by conviction, LV pledges and confirmations, and guardian vetoes. Each one
// reports ratios against a baseline measured in the same run.
import { Cl, serializeCV, type ClarityValue } from "@stacks/transactions";
import { codeHash } from "../../offchain/actions/code-hash.ts";
import { BENCH_BODY, type Context, type Cost, type Ratio, type Scenario } from "./measure.ts";

const GT = 1_000_000n;
const ALLOCATION = Cl.tuple({
  "infrastructure-bps": Cl.uint(2_000),
  "channel-bps": Cl.uint(5_000),
  "reserve-bps": Cl.uint(3_000),
});
const WATCHTOWER = Cl.tuple({
  add: Cl.bool(true),
  pubkey: Cl.bufferFromHex(`02${"33".repeat(32)}`),
  host: Cl.stringAscii("tower.example:9911"),
});

function payloadArg(tuple: ClarityValue): ClarityValue {
  return Cl.bufferFromHex(serializeCV(tuple) as unknown as string);
}

function uintOf(value: ClarityValue, what: string): bigint {
  const inner = value.type === "ok" ? value.value : value;
  if (inner.type !== "uint") throw new Error(`${what}: expected a uint, got ${Cl.prettyPrint(value)}`);
  return BigInt(inner.value);
}

function propose(ctx: Context, kind: string, tuple: ClarityValue, proposer: string): bigint {
  ctx.call(
    "proposals",
    "propose",
    [Cl.stringAscii(kind), payloadArg(tuple), Cl.stringUtf8("bench"), Cl.stringUtf8(BENCH_BODY), Cl.none()],
    proposer,
  );
  return uintOf(ctx.simnet.callReadOnlyFn("proposals", "get-last-id", [], ctx.deployer).result, "get-last-id");
}

function window(ctx: Context, id: bigint): { start: bigint; end: bigint } {
  const found = ctx.simnet.callReadOnlyFn("proposals", "get-proposal", [Cl.uint(id)], ctx.deployer).result;
  if (found.type !== "some" || found.value.type !== "tuple") throw new Error(`no proposal ${id}`);
  return { start: uintOf(found.value.value.start!, "start"), end: uintOf(found.value.value.end!, "end") };
}

function mineTo(ctx: Context, height: bigint): void {
  const now = BigInt(ctx.simnet.burnBlockHeight);
  if (height > now) ctx.simnet.mineEmptyBurnBlocks(Number(height - now));
}

function setting(ctx: Context, key: string): bigint {
  return uintOf(
    ctx.simnet.callReadOnlyFn("dao-settings", "get-setting", [Cl.stringAscii(key)], ctx.deployer).result,
    key,
  );
}

/** Votes a quadratic proposal through with wallet_1..wallet_3 and concludes it; returns conclude's cost. */
function passQuadratic(ctx: Context, id: bigint): Cost {
  mineTo(ctx, window(ctx, id).start);
  for (const n of [1, 2, 3])
    ctx.call("quadratic-voting", "vote", [Cl.uint(id), Cl.uint(600_000), Cl.bool(true)], ctx.wallet(n));
  mineTo(ctx, window(ctx, id).end);
  return ctx.call("proposals", "conclude", [Cl.uint(id)], ctx.wallet(5));
}

/**
 * Registers conviction proposal `id` with a window long enough for a stake 1,000,000 blocks after the last
 * update. Windows of proposals made by `propose` end after at most 8,640 blocks (the voting-period bound), so
 * this goes through a contract-proposal, as any DAO upgrade would.
 */
function registerLongWindow(ctx: Context, id: number): void {
  const name = "bench-long-window";
  ctx.simnet.deployContract(
    name,
    `(impl-trait '${ctx.deployer}.proposal-trait.proposal-trait)
(define-public (execute (sender principal))
  (contract-call? '${ctx.deployer}.conviction-voting register-proposal u${id} u0 u0 none
                  burn-block-height (+ burn-block-height u2000000)))`,
    { clarityVersion: 4 },
    ctx.deployer,
  );
  const source = ctx.simnet.getContractSource(`${ctx.deployer}.${name}`) ?? "";
  const proposal = propose(
    ctx,
    "contract-proposal",
    Cl.tuple({ proposal: Cl.principal(`${ctx.deployer}.${name}`), "code-hash": Cl.bufferFromHex(codeHash(source)) }),
    ctx.wallet(4),
  );
  passQuadratic(ctx, proposal);
  ctx.simnet.mineEmptyBurnBlocks(Number(setting(ctx, "contract-proposal:timelock")) + 1);
  ctx.call(
    "proposals",
    "execute-proposal",
    [Cl.uint(proposal), Cl.principal(`${ctx.deployer}.${name}`)],
    ctx.wallet(5),
  );
}

const ratio = (name: string, value: number, baseline: number, note: string): Ratio => ({
  name,
  value,
  baseline,
  ratio: value / baseline,
  note,
});

/** stake and unstake: cost against elapsed blocks, stakers and proposals; an ExecutorDAO-style vote as baseline. */
const staking: Scenario = {
  name: "conviction-staking",
  run(ctx) {
    const LONG = 9_999;
    registerLongWindow(ctx, LONG);
    const id = BigInt(LONG);
    const stake = (who: number, amount = 1_000n * GT) =>
      ctx.call("conviction-voting", "stake", [Cl.uint(id), Cl.uint(amount)], ctx.wallet(who));
    const first = stake(1);
    ctx.simnet.mineEmptyBurnBlocks(1);
    const t1 = stake(1);
    ctx.simnet.mineEmptyBurnBlocks(1_000);
    const t1000 = stake(1);
    ctx.simnet.mineEmptyBurnBlocks(1_000_000);
    const t1000000 = stake(1);
    ctx.simnet.mineEmptyBurnBlocks(1_000);
    const unstake = ctx.call("conviction-voting", "unstake", [Cl.uint(id), Cl.uint(500n * GT)], ctx.wallet(1));

    // 4 more proposals with 5 stakers each: a stake after 1,000 blocks must cost the same
    const others = [1, 2, 3, 4].map((n) => propose(ctx, "lv-allocation", ALLOCATION, ctx.wallet(n)));
    for (const other of others) {
      mineTo(ctx, window(ctx, other).start);
      for (const n of [1, 2, 3, 4, 5])
        ctx.call("conviction-voting", "stake", [Cl.uint(other), Cl.uint(10n * GT)], ctx.wallet(n));
    }
    for (const n of [2, 3, 4, 5]) stake(n);
    ctx.simnet.mineEmptyBurnBlocks(1_000);
    const crowded = stake(1);

    const ede = ctx.deployBaseline("bench-ede-voting-cv", "ede-voting.clar");
    ctx.call(ede, "faucet", [Cl.uint(1000)], ctx.wallet(2));
    ctx.call(ede, "add-proposal", [Cl.uint(1), Cl.uint(0), Cl.uint(10_000_000)], ctx.wallet(1));
    const edeVote = ctx.call(ede, "vote", [Cl.uint(10), Cl.bool(true), Cl.uint(1)], ctx.wallet(2));

    const log2 = (t: number) => Math.log2(t).toFixed(2);
    return {
      rows: [
        { name: "conviction-voting.stake (first on the proposal)", cost: first },
        { name: "conviction-voting.stake (t = 1)", cost: t1 },
        { name: "conviction-voting.stake (t = 1,000)", cost: t1000 },
        { name: "conviction-voting.stake (t = 1,000,000)", cost: t1000000 },
        { name: "conviction-voting.stake (t = 1,000; 5 stakers, 5 proposals)", cost: crowded },
        { name: "conviction-voting.unstake (t = 1,000)", cost: unstake },
      ],
      ratios: [
        ratio(
          "stake runtime: t = 1,000 vs t = 1",
          t1000.runtime,
          t1.runtime,
          `grows with bits of t: log2 = ${log2(1000)}`,
        ),
        ratio(
          "stake runtime: t = 1,000,000 vs t = 1",
          t1000000.runtime,
          t1.runtime,
          `grows with bits of t: log2 = ${log2(1_000_000)}`,
        ),
        ratio("stake reads: t = 1,000,000 vs t = 1", t1000000.readCount, t1.readCount, "must be 1.00"),
        ratio("stake reads: 5 stakers x 5 proposals vs 1", crowded.readCount, t1000.readCount, "must be 1.00"),
        ratio("stake runtime: 5 stakers x 5 proposals vs 1", crowded.runtime, t1000.runtime, "must be 1.00"),
        ratio(
          "stake reads vs ExecutorDAO-style vote (both lock tokens)",
          t1000.readCount,
          edeVote.readCount,
          `${Math.floor(15_000 / t1000.readCount)} vs ${Math.floor(15_000 / edeVote.readCount)} per block ` +
            "(read_count binds)",
        ),
      ],
    };
  },
};

/** conclude as soon as conviction reaches the threshold, against a quadratic conclude after the period. */
const concludeByConviction: Scenario = {
  name: "conviction-conclude",
  run(ctx) {
    const id = propose(ctx, "lv-allocation", ALLOCATION, ctx.wallet(1));
    mineTo(ctx, window(ctx, id).start);
    for (const n of [1, 2, 3])
      ctx.call("conviction-voting", "stake", [Cl.uint(id), Cl.uint(500_000n * GT)], ctx.wallet(n));
    let conclude: Cost | undefined;
    for (let i = 0; i < 400 && !conclude; i++) {
      ctx.simnet.mineEmptyBurnBlocks(10);
      const receipt = ctx.simnet.callPublicFn("proposals", "conclude", [Cl.uint(id)], ctx.wallet(5));
      if (receipt.result.type === "ok") conclude = (receipt.costs as { total: Cost }).total;
    }
    if (!conclude) throw new Error("the conviction proposal never reached its threshold");
    const threshold = ctx.read("conviction-voting", "get-threshold", [Cl.uint(id)]);
    const quadratic = passQuadratic(
      ctx,
      propose(ctx, "setting", Cl.tuple({ key: Cl.stringAscii("max-fee-ppm"), value: Cl.uint(4_000) }), ctx.wallet(2)),
    );
    return {
      rows: [
        { name: "proposals.conclude (by conviction, lv-allocation)", cost: conclude },
        { name: "conviction-voting.get-threshold", cost: threshold },
      ],
      ratios: [
        ratio(
          "conclude reads: by conviction vs quadratic",
          conclude.readCount,
          quadratic.readCount,
          "same block budget, read_count binds",
        ),
      ],
    };
  },
};

/** pledge, address, confirm (mints GT) and a revenue epoch, against a plain GT transfer. */
const ledger: Scenario = {
  name: "lv-ledger",
  run(ctx) {
    const relay = ctx.wallet(6);
    const pledge = ctx.call("lv-ledger", "pledge", [Cl.uint(1_000_000)], ctx.wallet(5));
    const address = ctx.call(
      "lv-ledger",
      "set-pledge-address",
      [Cl.uint(1), Cl.stringAscii("taprt1qqqsqqspqqzzqbenchaddress")],
      relay,
    );
    const confirm = ctx.call(
      "lv-ledger",
      "confirm-contribution",
      [Cl.uint(1), Cl.bufferFromHex(`${"ab".repeat(32)}00000001`), Cl.uint(600_000)],
      relay,
    );
    const epoch = ctx.call(
      "lv-ledger",
      "record-revenue-epoch",
      [
        Cl.uint(1),
        Cl.uint(30_000),
        Cl.uint(10_000),
        Cl.uint(1_000),
        Cl.uint(6_000),
        Cl.uint(3_000),
        Cl.bufferFromHex("00"),
      ],
      relay,
    );
    const transfer = ctx.call(
      "gt-token",
      "transfer",
      [Cl.uint(GT), Cl.principal(ctx.wallet(1)), Cl.principal(ctx.wallet(2)), Cl.none()],
      ctx.wallet(1),
    );
    return {
      rows: [
        { name: "lv-ledger.pledge", cost: pledge },
        { name: "lv-ledger.set-pledge-address", cost: address },
        { name: "lv-ledger.confirm-contribution (mints GT)", cost: confirm },
        { name: "lv-ledger.record-revenue-epoch", cost: epoch },
      ],
      ratios: [
        ratio(
          "confirm-contribution reads vs a GT transfer",
          confirm.readCount,
          transfer.readCount,
          "confirm also checks the relay and mints",
        ),
      ],
    };
  },
};

/** Guardian veto of a queued off-chain action (first vote, then the quorum vote that withdraws it), and pause. */
const veto: Scenario = {
  name: "guardian",
  run(ctx) {
    const id = propose(ctx, "watchtower", WATCHTOWER, ctx.wallet(1));
    passQuadratic(ctx, id);
    const first = ctx.call("guardian", "veto", [Cl.uint(id)], ctx.wallet(7));
    const quorum = ctx.call("guardian", "veto", [Cl.uint(id)], ctx.wallet(8));
    const pause = ctx.call("guardian", "pause-execution", [], ctx.wallet(7));
    return {
      rows: [
        { name: "guardian.veto (first vote)", cost: first },
        { name: "guardian.veto (quorum vote, withdraws the action)", cost: quorum },
        { name: "guardian.pause-execution", cost: pause },
      ],
      ratios: [
        ratio(
          "veto reads: quorum vote vs first vote",
          quorum.readCount,
          first.readCount,
          "the quorum vote also calls execution-queue.veto-action",
        ),
      ],
    };
  },
};

export const convictionScenarios: Scenario[] = [staking, concludeByConviction, ledger, veto];
