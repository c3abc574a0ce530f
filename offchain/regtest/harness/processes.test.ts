// No regtest daemon outlives the process that started it: however that process ends (a signal, an uncaught error,
// process.exit), the children startProcess spawned are gone; only a detached start (regtest:up) leaves them running.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { leftoverTestDaemons, RUN_ENV } from "./leftover-daemons.ts";
import { alive, startProcess, stopPid, waitFor } from "./processes.ts";

const PARENT = fileURLToPath(new URL("./test-fixtures/daemon-parent.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "lvdao-processes-"));
const leftovers: number[] = [];

afterAll(async () => {
  await Promise.all(leftovers.map((pid) => stopPid(pid, 2_000)));
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the fixture parent, returns its process and its child's pid once printed. */
async function startParent(ending: "wait" | "throw" | "exit", detached = false) {
  const parent = spawn(
    process.execPath,
    ["--import", "tsx", PARENT, join(dir, `${ending}.log`), ending, ...(detached ? ["detached"] : [])],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  parent.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    parent.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const childPid = await waitFor(
    "the fixture to print its child's pid",
    async () => (/^\d+\n/.test(out) ? Number.parseInt(out, 10) : undefined),
    { timeoutMs: 20_000, intervalMs: 20 },
  );
  leftovers.push(childPid);
  return { parent, childPid, exited };
}

const gone = (pid: number) =>
  waitFor(`pid ${pid} to be gone`, async () => (alive(pid) ? undefined : true), { timeoutMs: 5_000, intervalMs: 20 });

describe("startProcess children", () => {
  it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)(
    "die with their parent when it gets %s, and the signal still ends the parent",
    async (signal) => {
      const { parent, childPid, exited } = await startParent("wait");
      expect(alive(childPid)).toBe(true);
      parent.kill(signal);
      expect(await exited).toEqual({ code: null, signal });
      await expect(gone(childPid)).resolves.toBe(true);
    },
  );

  it("die when the parent ends with an uncaught error", async () => {
    const { childPid, exited } = await startParent("throw");
    expect((await exited).code).toBe(1);
    await expect(gone(childPid)).resolves.toBe(true);
  });

  it("die when the parent calls process.exit", async () => {
    const { childPid, exited } = await startParent("exit");
    expect((await exited).code).toBe(3);
    await expect(gone(childPid)).resolves.toBe(true);
  });

  it("outlive the parent when started detached, as regtest:up starts them", async () => {
    const { parent, childPid, exited } = await startParent("wait", true);
    parent.kill("SIGTERM");
    expect((await exited).signal).toBe("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive(childPid)).toBe(true);
  });
});

describe("leftoverTestDaemons", () => {
  it("finds a process of this run whose command line names a test stack directory; not once stopped", async () => {
    const prefix = join(dir, "lvdao-regtest-");
    const before = process.env[RUN_ENV];
    process.env[RUN_ENV] = "run-a";
    let daemon: ReturnType<typeof startProcess>;
    try {
      daemon = startProcess({
        name: "fake daemon",
        command: process.execPath,
        args: ["-e", "setInterval(() => undefined, 1000)", "--", `--lnddir=${prefix}abc/lnd`],
        logPath: join(dir, "fake.log"),
      });
    } finally {
      if (before === undefined) delete process.env[RUN_ENV];
      else process.env[RUN_ENV] = before;
    }
    leftovers.push(daemon.pid);
    // Until the child has exec'd, /proc shows the parent's command line: look again for up to 5 s. (Without the
    // "--", node refused --lnddir as its own option and exited at once, so the test only passed when it looked
    // within those few milliseconds.)
    let found = leftoverTestDaemons("run-a", prefix);
    for (
      const deadline = Date.now() + 5_000;
      found.length === 0 && Date.now() < deadline;
      found = leftoverTestDaemons("run-a", prefix)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(found.map((p) => p.pid)).toEqual([daemon.pid]);
    // Another run's daemons (another engineer's test:regtest on the same machine) are not this run's leftovers.
    expect(leftoverTestDaemons("run-b", prefix)).toEqual([]);
    expect(leftoverTestDaemons("run-a", join(dir, "other-prefix-"))).toEqual([]);
    await daemon.stop(2_000);
    expect(leftoverTestDaemons("run-a", prefix)).toEqual([]);
  });
});
