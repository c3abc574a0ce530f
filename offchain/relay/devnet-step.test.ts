// npm start's relay step, loaded the way npm start loads it (moduleStep), against real peers: the node emulation with
// the lvdao contracts and the lnd/tapd/loopd simulators' gRPC and REST servers. It must come up, answer /healthz,
// keep its key in a 0600 file, and never print the key; its config, journal and log stay in its folder after stop,
// and `lvdao relay status` reads that config.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../devnet/index.ts";
import { moduleStep, type StartedStep } from "../devnet/start-steps.ts";
import { startSimulators, type SimulatorHandle } from "../regtest/lnd-tapd-sim/index.ts";
import { main } from "./cli/main.ts";
import { DEVNET_STATUS_PORT, freePortOr } from "./devnet-step.ts";

const REPO = resolve(import.meta.dirname, "../..");
let devnet: Devnet;
let sim: SimulatorHandle;
let stateDir: string;
let step: StartedStep;
const progress: string[] = [];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "lvdao-relay-step-"));
  devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
  sim = await startSimulators({ stateDir, channelConfirmations: 1, blockIntervalMs: 0 });
  const started = await moduleStep("relay", "relay/devnet-step.ts").start({
    devnet,
    services: { stacksApi: devnet.url, ...sim.services },
    progress: (line) => progress.push(line),
    relayDir: join(stateDir, "relay"),
  });
  if ("unavailable" in started) throw new Error(`relay step unavailable: ${started.unavailable}`);
  step = started;
}, 120_000);
let stopped = false;
afterAll(async () => {
  if (!stopped) await step?.stop();
  await sim?.stop();
  await devnet?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe("npm start's relay step", () => {
  it("runs the real relay as wallet_6 against the emulation and the Lightning side, answering /healthz", async () => {
    const relay = step.services?.relay as { statusUrl: string; address: string; dir: string };
    expect(relay.address).toBe(devnet.account("wallet_6").address);
    expect(step.summary.join("\n")).toContain(sim.nodes.dao.lnd_socket);
    let health: Response | undefined;
    for (let i = 0; i < 100 && health?.status !== 200; i++) {
      health = await fetch(`${relay.statusUrl}/healthz`);
      if (health.status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(health?.status).toBe(200);
    const status = (await (await fetch(`${relay.statusUrl}/status`)).json()) as {
      relay: { address: string };
      chain: { stacksHeight: number };
    };
    expect(status.relay.address).toBe(devnet.account("wallet_6").address);
    expect(status.chain.stacksHeight).toBeGreaterThan(0);
  });

  it("keeps the relay key in a 0600 file and never prints it", () => {
    const relay = step.services?.relay as { dir: string };
    const keyFile = join(relay.dir, "relay.key");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = devnet.account("wallet_6").privateKey;
    const printed = [...progress, ...step.summary].join("\n");
    expect(printed).not.toContain(key.slice(0, 64));
    const log = join(relay.dir, "relay.log");
    expect(existsSync(log)).toBe(true);
    const logged = readFileSync(log, "utf8");
    expect(logged).toContain("relay");
    expect(logged).not.toContain(key.slice(0, 64));
  });

  it("writes relay.toml in its folder, which lvdao relay status reads", async () => {
    const relay = step.services?.relay as { dir: string };
    expect(relay.dir).toBe(join(stateDir, "relay"));
    const out: string[] = [];
    const code = await main(["relay", "status", "--config", join(relay.dir, "relay.toml")], {
      out: (line) => out.push(line),
      err: () => undefined,
    });
    expect(code).toBe(0);
    expect(out.join("\n")).toMatch(/^journal \(sqlite\)/);
    expect(step.summary.join("\n")).toContain(`config, journal and log in ${relay.dir}`);
  });

  it("serves status on 8732, or says it is taken and takes another", () => {
    const relay = step.services?.relay as { statusUrl: string };
    const port = Number(new URL(relay.statusUrl).port);
    if (port === DEVNET_STATUS_PORT) expect(progress.join("\n")).not.toContain("is taken");
    else
      expect(progress).toContain(
        `relay: port ${DEVNET_STATUS_PORT} is taken (another relay?); the status server takes a free port`,
      );
  });

  it("keeps the config, journal and log after stop", async () => {
    const relay = step.services?.relay as { dir: string };
    await step.stop();
    stopped = true;
    for (const file of ["relay.toml", "relay.key", "relay.db", "relay.log"])
      expect(existsSync(join(relay.dir, file))).toBe(true);
  });
});

describe("freePortOr", () => {
  it("gives the port when free and 0 when something listens there", async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
    const { port } = server.address() as { port: number };
    expect(await freePortOr(port)).toBe(0);
    await new Promise<void>((done) => server.close(() => done()));
    expect(await freePortOr(port)).toBe(port);
  });
});
