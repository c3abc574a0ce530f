// The relay-facing calls on real btcd/lnd/tapd (offchain/regtest/harness/index.ts `startRegtest`), then the same calls
// on the simulators, and the answers compared shape for shape: the simulators stand in for the real daemons only as
// far as this comparison shows. Runs under `npm run test:regtest` only.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulators, type SimulatorHandle } from "../regtest/lnd-tapd-sim/index.ts";
import type { LightningStack } from "./connection/stack-file.ts";
import { runRelayScenario, shapeDifferences, type Answers } from "./test/relay-scenario.ts";

interface RegtestHandle {
  mode: "regtest";
  nodes: LightningStack["nodes"];
  loop: { restUrl: string; macaroonHex: string; cert: string } | null;
  mine(blocks: number): Promise<unknown>;
  stop(): Promise<void>;
}

const HARNESS = fileURLToPath(new URL("../regtest/harness/index.ts", import.meta.url));
let real: RegtestHandle | undefined;
let sim: SimulatorHandle | undefined;
let simDir: string | undefined;
/** Each run's answers, or what stopped it: a run that fails fails its own test and the comparison, nothing else. */
type Run = { answers: Answers } | { error: unknown };
let realRun: Run = { error: new Error("the real-daemon run did not start") };
let simRun: Run = { error: new Error("the simulator run did not start") };
const run = (scenario: Promise<Answers>): Promise<Run> =>
  scenario.then(
    (answers) => ({ answers }),
    (error: unknown) => ({ error }),
  );
const answersOf = (result: Run, which: string): Answers => {
  if ("error" in result)
    throw new Error(`the ${which} run failed: ${(result.error as Error).message ?? String(result.error)}`, {
      cause: result.error,
    });
  return result.answers;
};

/** The calls every run must answer; the loopd ones only where the stack has loopd. */
const CALLS = [
  "getNodeInfo",
  "connectPeer",
  "connectPeer:again",
  "openChannel",
  "findChannelsByMemo:opening",
  "findChannelsByMemo:open",
  "getChannelPolicy",
  "getFeeRates",
  "getChannelPolicy:after",
  "scanLiquidity",
  "getChannelBalance",
  "getChainBalance",
  "createAddress",
  "sendCoins",
  "createInvoice",
  "payInvoice",
  "lookupInvoice",
  "getForwards",
  "getTowerServerInfo",
  "addTower",
  "listTowers",
  "removeTower",
  "closeChannel",
  "findChannelsByMemo:closed",
  "getTapdInfo",
  "mintGroupedAsset:new",
  "mintGroupedAsset:reissue",
  "listAssetBalances",
  "listAssetGroups",
  "newAssetAddress",
  "sendAsset",
  "listTransfers",
  "listAddressReceives",
  "listAssets",
];
const LOOP_CALLS = ["getLoopOutTerms", "getLoopOutQuote", "loopOut", "listSwaps", "getSwap"];

beforeAll(async () => {
  if (!existsSync(HARNESS))
    throw new Error("offchain/regtest/harness/index.ts does not exist yet: the real-daemon comparison cannot run");
  const harness = (await import(new URL("../regtest/harness/index.ts", import.meta.url).href)) as {
    startRegtest(options?: unknown): Promise<RegtestHandle>;
  };
  real = await harness.startRegtest();
  simDir = mkdtempSync(join(tmpdir(), "lvdao-sim-"));
  sim = await startSimulators({ stateDir: simDir });
  const handle = real;
  realRun = await run(
    runRelayScenario(
      {
        mode: "regtest",
        stack: { mode: "regtest", nodes: handle.nodes, loop: null, bitcoin: { network: "regtest" } },
        loop: handle.loop,
        mine: (n) => handle.mine(n),
      },
      (line) => console.log(line),
    ),
  );
  simRun = await run(runRelayScenario({ mode: "simulator", stack: sim.stack, loop: sim.loop, mine: sim.mine }));
}, 1_800_000);

afterAll(async () => {
  await Promise.allSettled([real?.stop(), sim?.stop()]);
  if (simDir) rmSync(simDir, { recursive: true, force: true });
}, 120_000);

describe("relay-facing calls, real daemons against simulators", () => {
  it("run on real lnd and tapd: every call the relay makes answers, each as the scenario checks", () => {
    const answers = answersOf(realRun, "real-daemon");
    expect([...answers.keys()]).toEqual(expect.arrayContaining(real?.loop ? [...CALLS, ...LOOP_CALLS] : CALLS));
  });

  it("run on the simulators: every call the relay makes answers, each as the scenario checks", () => {
    const answers = answersOf(simRun, "simulator");
    expect([...answers.keys()]).toEqual(expect.arrayContaining(sim?.loop ? [...CALLS, ...LOOP_CALLS] : CALLS));
  });

  it("answer in the same shapes", () => {
    expect(shapeDifferences(answersOf(realRun, "real-daemon"), answersOf(simRun, "simulator"))).toEqual([]);
  });
});
