// grpcTarget's mapping, and that connecting to lnd, tapd and loopd at 127.0.0.1 emits no TLS ServerName warning
// (DEP0123), in a fresh process against the simulators; the raw `lightning` connection by IP is the control that
// shows the check can fail.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulators, type SimulatorHandle } from "../../regtest/lnd-tapd-sim/index.ts";
import { grpcTarget } from "./grpc-target.ts";

const CHILD = resolve(import.meta.dirname, "../test/tls-warning-child.ts");

describe("grpcTarget", () => {
  it.each([
    ["127.0.0.1:10009", "localhost:10009"],
    ["127.1.2.3:10009", "localhost:10009"],
    ["[::1]:10009", "localhost:10009"],
    ["localhost:10009", "localhost:10009"],
    ["10.0.0.5:10009", "10.0.0.5:10009"],
    ["[2001:db8::1]:10009", "[2001:db8::1]:10009"],
    ["lnd.example.org:10009", "lnd.example.org:10009"],
  ])("dials %s as %s", (socket, target) => {
    expect(grpcTarget(socket)).toBe(target);
  });
});

describe("TLS ServerName", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "lvdao-tls-"));
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulators({ stateDir, fundAndConnect: false });
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  // Asynchronous: the simulators answer from this process's event loop.
  const run = (mode: string): Promise<string> =>
    new Promise((done, fail) => {
      execFile(
        process.execPath,
        ["--import", "tsx", CHILD, sim.stackFile, mode],
        { timeout: 60_000 },
        (error, stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done(stdout)),
      );
    });

  it("connecting to lnd, tapd and loopd at 127.0.0.1 warns of nothing", async () => {
    expect(sim.stack.nodes.dao.lnd_socket).toMatch(/^127\.0\.0\.1:/);
    expect((await run("client-layer")).split("\n").filter(Boolean)).toEqual(["calls done"]);
  }, 60_000);

  it("the same lnd dialled by its IP address through lightning directly warns DEP0123", async () => {
    expect((await run("raw-lnd")).split("\n").filter(Boolean)).toEqual(["WARNING DEP0123", "calls done"]);
  }, 60_000);
});
