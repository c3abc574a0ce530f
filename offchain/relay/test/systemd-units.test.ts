// ops/systemd's units pass `systemd-analyze verify` with nothing to say (it exits 0 even on an unknown key, so its
// output must be empty), and the relay unit's command line is one lvdao runs: with the config missing it stops at the
// config (exit 78, which the unit does not restart on), not at the usage. systemd-analyze comes from the `systemd`
// package that scripts/ci/system-deps.sh installs.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";

const UNITS = resolve(import.meta.dirname, "../../../ops/systemd");
const dir = mkdtempSync(join(tmpdir(), "lvdao-units-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function verify(...paths: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("systemd-analyze", ["verify", ...paths]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

const unit = (name: string) => readFileSync(join(UNITS, name), "utf8");
const execStart = (text: string): string[] => (/^ExecStart=(.*)$/m.exec(text)?.[1] ?? "").split(/\s+/);

describe("systemd units", () => {
  it.each(["lvdao-relay.service", "lvdao-cosigner.service"])("%s verifies clean", async (name) => {
    expect(await verify(join(UNITS, name))).toEqual({ code: 0, output: "" });
  });

  it("a unit with a mistake in it does not verify clean (the check can fail)", async () => {
    const broken = join(dir, "lvdao-relay.service");
    writeFileSync(broken, unit("lvdao-relay.service").replace("Restart=on-failure", "Restart=sometimes"));
    expect((await verify(broken)).output).toContain("Failed to parse service restart specifier");
  });

  it("the relay unit runs `lvdao relay start --config <file>`, which stops at a missing config with 78", async () => {
    const words = execStart(unit("lvdao-relay.service"));
    expect(words.slice(0, 3)).toEqual(["/usr/bin/env", "node", "/opt/lvdao/offchain/relay/bin/lvdao.mjs"]);
    const args = words.slice(3).map((word) => (word === "/etc/lvdao/relay.toml" ? join(dir, "missing.toml") : word));
    const err: string[] = [];
    expect(await main(args, { out: () => undefined, err: (line) => err.push(line) })).toBe(78);
    expect(unit("lvdao-relay.service")).toMatch(/^RestartPreventExitStatus=2 78$/m);
  });

  it("the co-signer runs as its own user, apart from the relay", () => {
    expect(unit("lvdao-cosigner.service")).toMatch(/^User=lvdao-cosigner$/m);
    expect(execStart(unit("lvdao-cosigner.service")).slice(3, 7)).toEqual([
      "cosigner",
      "start",
      "--config",
      "/etc/lvdao/cosigner.toml",
    ]);
  });
});
