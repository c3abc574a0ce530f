// `npm run regtest:mine -- N` mines on whichever stack runs: npm start's (its mining control, here over the
// simulators, as npm start's simulator step publishes them), else regtest:up's nodes.json, else it says none runs.
// The btcd path itself runs in the regtest suite (regtest:up's stack).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLightningControl, type LightningControl } from "../../devnet/lightning-control.ts";
import { startSimulators, type SimulatorHandle } from "../lnd-tapd-sim/index.ts";
import { mineOnRunningStack, MineError } from "./mine.ts";

const dir = mkdtempSync(join(tmpdir(), "lvdao-mine-"));
const files = { controlFile: join(dir, "lightning.json"), stackFile: join(dir, "none", "nodes.json") };
let sim: SimulatorHandle;
let control: LightningControl;

beforeAll(async () => {
  sim = await startSimulators({ stateDir: join(dir, "sim"), fundAndConnect: false });
  const mine = (sim.services.lightning as { mine: (blocks: number) => Promise<unknown> }).mine;
  control = await startLightningControl(mine, "simulator", files.controlFile);
}, 60_000);
afterAll(async () => {
  await control?.stop();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("regtest:mine", () => {
  it("mines N blocks on npm start's stack through its control", async () => {
    const before = sim.simulation.chain.height;
    expect(await mineOnRunningStack(3, files)).toBe("mined 3 block(s) on npm start's simulator stack");
    expect(sim.simulation.chain.height).toBe(before + 3);
  });

  it("refuses a block count the control does not take", async () => {
    await expect(mineOnRunningStack(10_000, files)).rejects.toThrow(
      "npm start's Lightning stack refused to mine: blocks must be an integer from 1 to 9999",
    );
  });

  it("says no stack runs when the control is gone (a stale file) and there is no nodes.json", async () => {
    const stale = join(dir, "stale.json");
    writeFileSync(stale, JSON.stringify({ url: "http://127.0.0.1:1", mode: "simulator" }));
    const error = await mineOnRunningStack(1, { controlFile: stale, stackFile: files.stackFile }).catch((e) => e);
    expect(error).toBeInstanceOf(MineError);
    expect((error as Error).message).toBe(
      "no Lightning stack is running: start one with `npm start` or `npm run regtest:up`",
    );
  });

  it("runs as the npm script: a bad count exits 2", async () => {
    const script = resolve(import.meta.dirname, "mine.ts");
    const result = await new Promise<{ code: number | null; stderr: string }>((done) =>
      execFile(process.execPath, ["--import", "tsx", script, "0"], (error, _stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
      ),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("the number of blocks must be a positive integer up to 9999");
  });
});
