// `npm start`'s Lightning step on the real stack (devnet-step.ts): it publishes what the simulators' step publishes,
// says it is the real stack, mines on its own, and leaves no daemon behind when stopped.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { getHeight } from "lightning";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectLnd } from "../../lightning/index.ts";
import { readLightningStack } from "../../lightning/connection/stack-file.ts";
import { eventually } from "../../lightning/test/stack.ts";
import { REGTEST_BANNER, startDevnetStep, type RegtestDevnetStep } from "./devnet-step.ts";
import { leftoverTestDaemons, RUN_ENV } from "./leftover-daemons.ts";
import { startSimulators } from "../lnd-tapd-sim/index.ts";
import { startLightningControl } from "../../devnet/lightning-control.ts";
import { mineOnRunningStack } from "../scripts/mine.ts";

let step: RegtestDevnetStep;
const progress: string[] = [];

beforeAll(async () => {
  step = await startDevnetStep({ progress: (line) => progress.push(line) }, { blockIntervalMs: 1_000 });
});

afterAll(async () => {
  await step?.stop();
});

describe("the real stack as npm start's Lightning step", () => {
  it("publishes services.lightning with the simulators' keys, and a nodes file reading back as the stack", async () => {
    const simDir = mkdtempSync(join(tmpdir(), "lvdao-sim-step-"));
    const sim = await startSimulators({ stateDir: simDir, blockIntervalMs: 0 });
    try {
      expect(Object.keys(step.services.lightning).sort()).toEqual(Object.keys(sim.services.lightning as object).sort());
    } finally {
      await sim.stop();
      rmSync(simDir, { recursive: true, force: true });
    }
    expect(step.services.lightning.mode).toBe("regtest");
    expect(readLightningStack(step.services.lightning.stackFile)).toEqual(step.services.lightning.stack);
  });

  it("says in its summary that it is the real stack, with every node and the loopd simulator", () => {
    expect(step.summary[0]).toBe(REGTEST_BANNER);
    const text = step.summary.join("\n");
    for (const node of Object.values(step.services.lightning.stack.nodes)) expect(text).toContain(node.lnd_socket);
    expect(text).toContain(`loopd (simulator) ${String(step.services.lightning.stack.loop?.rest_url)}`);
    expect(text).toMatch(/lnd dao 0\.20\.0-beta/);
  });

  it("mines blocks by itself, as the simulators do under npm start", async () => {
    const dao = step.services.lightning.stack.nodes.dao;
    const lnd = connectLnd({
      socket: dao.lnd_socket,
      certPath: dao.lnd_cert_path,
      macaroonPath: dao.lnd_macaroon_path,
    });
    const start = (await getHeight({ lnd })).current_block_height;
    const later = await eventually(
      async () => {
        const height = (await getHeight({ lnd })).current_block_height;
        return height >= start + 2 ? height : undefined;
      },
      { what: "two blocks mined by the step's timer", timeoutMs: 20_000 },
    );
    expect(later).toBeGreaterThanOrEqual(start + 2);
  });

  it("regtest:mine mines on it: through npm start's control, and through btcd from its nodes file", async () => {
    const dao = step.services.lightning.stack.nodes.dao;
    const lnd = connectLnd({
      socket: dao.lnd_socket,
      certPath: dao.lnd_cert_path,
      macaroonPath: dao.lnd_macaroon_path,
    });
    const height = async () => (await getHeight({ lnd })).current_block_height;
    const dir = mkdtempSync(join(tmpdir(), "lvdao-mine-real-"));
    const control = await startLightningControl(step.services.lightning.mine, "regtest", join(dir, "lightning.json"));
    try {
      // The step's own timer mines too (a block a second): at least the blocks asked for, within the check.
      let before = await height();
      expect(
        await mineOnRunningStack(5, { controlFile: join(dir, "lightning.json"), stackFile: join(dir, "none") }),
      ).toBe("mined 5 block(s) on npm start's regtest stack");
      expect(await height()).toBeGreaterThanOrEqual(before + 5);
      before = await height();
      const viaBtcd = await mineOnRunningStack(5, {
        controlFile: join(dir, "absent.json"),
        stackFile: step.services.lightning.stackFile,
      });
      expect(viaBtcd).toMatch(/^mined 5 block\(s\) on regtest:up's btcd; height \d+, tip [0-9a-f]{64}$/);
      await eventually(async () => ((await height()) >= before + 5 ? true : undefined), {
        what: "lnd to see the five blocks",
        timeoutMs: 20_000,
      });
    } finally {
      await control.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops every daemon and removes its state", async () => {
    const stateDir = dirname(step.services.lightning.stackFile);
    const runId = process.env[RUN_ENV] ?? "";
    expect(leftoverTestDaemons(runId, stateDir).length).toBeGreaterThanOrEqual(6);
    await step.stop();
    expect(leftoverTestDaemons(runId, stateDir)).toEqual([]);
  });
});
