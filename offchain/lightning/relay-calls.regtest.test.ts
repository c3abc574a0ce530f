// The relay-facing calls on real btcd/lnd/tapd (offchain/regtest/harness.ts `startRegtest`), then the same calls on
// the simulators, and the answers compared shape for shape: the simulators stand in for the real daemons only as
// far as this comparison shows. Runs under `npm run test:regtest` only.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulators, type SimulatorHandle } from "../regtest/sim/index.ts";
import type { LightningStack } from "./connection/stack-file.ts";
import { runRelayScenario, shapeDifferences, type Answers } from "./test-support/relay-scenario.ts";

interface RegtestHandle {
  mode: "regtest";
  nodes: LightningStack["nodes"];
  loop: { restUrl: string; macaroonHex: string; cert: string } | null;
  mine(blocks: number): Promise<unknown>;
  stop(): Promise<void>;
}

const HARNESS = fileURLToPath(new URL("../regtest/harness.ts", import.meta.url));
let real: RegtestHandle | undefined;
let sim: SimulatorHandle | undefined;
let simDir: string | undefined;
const answers: { real?: Answers; sim?: Answers } = {};

beforeAll(async () => {
  if (!existsSync(HARNESS)) throw new Error("offchain/regtest/harness.ts does not exist yet: the real-daemon comparison cannot run");
  const harness = (await import(new URL("../regtest/harness.ts", import.meta.url).href)) as { startRegtest(options?: unknown): Promise<RegtestHandle> };
  real = await harness.startRegtest();
  simDir = mkdtempSync(join(tmpdir(), "lvdao-sim-"));
  sim = await startSimulators({ stateDir: simDir });
}, 900_000);

afterAll(async () => {
  await Promise.allSettled([real?.stop(), sim?.stop()]);
  if (simDir) rmSync(simDir, { recursive: true, force: true });
}, 120_000);

describe("relay-facing calls, real daemons against simulators", () => {
  it("run on real lnd and tapd", async () => {
    const handle = real as RegtestHandle;
    answers.real = await runRelayScenario(
      { mode: "regtest", stack: { mode: "regtest", nodes: handle.nodes, loop: null, bitcoin: { network: "regtest" } }, loop: handle.loop, mine: (n) => handle.mine(n) },
      (line) => console.log(line),
    );
  }, 900_000);

  it("run on the simulators", async () => {
    const handle = sim as SimulatorHandle;
    answers.sim = await runRelayScenario({ mode: "simulator", stack: handle.stack, loop: handle.loop, mine: handle.mine });
  }, 120_000);

  it("answer in the same shapes", () => {
    expect(answers.real, "the real-daemon run did not finish").toBeDefined();
    expect(answers.sim, "the simulator run did not finish").toBeDefined();
    expect(shapeDifferences(answers.real as Answers, answers.sim as Answers)).toEqual([]);
  });
});
