// `lvdao verify-deployment` as an auditor runs it (bin/lvdao.mjs, a process of its own) against the node emulation:
// the devnet deployment of this repository is clean, and a production deployment made from a changed copy of the
// repository (one contract edited, one setting's bounds and value moved, the production bootstrap enabling a
// contract and an address the repository's does not) is reported difference by difference, with exit 3.
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpNode, productionPlan } from "../../devnet/deploy.ts";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { applyPlan } from "../../deploy/plan.ts";
import { main } from "../cli/main.ts";
import type { VerifyReport } from "../cli/verify/render.ts";
import { runLvdao } from "./cli-process.ts";
import { DEPLOYER } from "../../devnet/governance.ts";
import { freePort } from "./wait.ts";

const REPO = resolve(import.meta.dirname, "../../..");
/** A principal outside the repository that the changed bootstrap makes an extension (wallet_2). */
const OUTSIDER = "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG";

let devnet: Devnet;
let copy: string;
let changedDeployer: string;

/** The repository's contracts and plans, copied, with the changes an auditor must catch. */
function changedCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "lvdao-verify-"));
  for (const folder of ["contracts", "deployments"]) cpSync(join(REPO, folder), join(dir, folder), { recursive: true });
  const edit = (path: string, change: (text: string) => string): void => {
    const before = readFileSync(join(dir, path), "utf8");
    const after = change(before);
    if (after === before) throw new Error(`the test's change to ${path} no longer applies`);
    writeFileSync(join(dir, path), after);
  };
  edit("contracts/liquidity-oracle.clar", (text) => `${text}\n;; changed after the audit\n`);
  edit("contracts/dao-settings.clar", (text) =>
    text.replace(
      /\{key: "max-pause", value: u\d+, min: u\d+, max: u\d+\}/,
      '{key: "max-pause", value: u3000, min: u1, max: u5000}',
    ),
  );
  edit("deployments/contracts/lvdao-bootstrap-production.clar", (text) =>
    text.replace(
      "(var-set executed true)",
      "(var-set executed true)\n    (try! (contract-call? .lvdao-core set-extension .action-validator true))\n    " +
        `(try! (contract-call? .lvdao-core set-extension '${OUTSIDER} true))`,
    ),
  );
  return dir;
}

beforeAll(async () => {
  devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
  copy = changedCopy();
  const account = devnet.account("wallet_1");
  changedDeployer = account.address;
  const params = { grants: [], relays: [], guardians: [], vetoQuorum: 1n, sunsetBlocks: 52_560n };
  const plan = await productionPlan(copy, params, {
    network: "testnet",
    deployer: changedDeployer,
    stacksNode: devnet.url,
    feeRate: 1,
  });
  await applyPlan(
    copy,
    plan,
    new Map([[changedDeployer, account.privateKey]]),
    httpNode(devnet.url, "testnet", { pollMs: 25 }),
  );
}, 240_000);
afterAll(async () => {
  await devnet?.stop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe("lvdao verify-deployment", () => {
  it("passes every check on the devnet deployment of this repository, naming each contract with its hash", async () => {
    const run = await runLvdao(["verify-deployment", "--api", devnet.url, "--deployer", DEPLOYER]);
    expect(run.stdout).toContain("no differences: the deployment matches the repository");
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/^ {2}(DIFF|note)/m);

    // Every contract of Clarinet.toml (read here on its own, not through the command) was checked, with one
    // progress line each on stderr, and each hash is the SHA-512/256 of the repository's file.
    const manifest = parseToml(readFileSync(join(REPO, "Clarinet.toml"), "utf8")) as {
      contracts: Record<string, { path: string }>;
    };
    for (const [name, { path }] of Object.entries(manifest.contracts)) {
      expect(run.stderr).toMatch(new RegExp(`lvdao: verify: \\[\\d+/\\d+\\] ${name}: published at height`));
      const hash = createHash("sha512-256")
        .update(readFileSync(join(REPO, path)))
        .digest("hex");
      expect(run.stdout).toContain(`  ok    ${name}: source = ${path}, sha512/256 ${hash}`);
    }
    expect(run.stdout).toContain("  ok    lvdao-core is-constructed: true");
    expect(run.stdout).toMatch(/ok {4}lvdao-core executed-at lvdao-bootstrap: ran at Stacks height \d+/);
    expect(run.stdout).toContain("  ok    lvdao-bootstrap-production: not deployed, as expected");
    expect(run.stdout).toContain("  ok    dao-settings: an extension (lvdao-bootstrap enables it)");
    expect(run.stdout).toContain("  ok    action-validator: not an extension");
    expect(run.stdout).toMatch(
      /ok {4}extension-set events: \d+ \(\d+ enabling\), each for a principal lvdao-bootstrap enables/,
    );
    // The bootstrap moved guardian-sunset from its starting value: within bounds, that is no difference.
    expect(run.stdout).toMatch(
      /ok {4}dao-settings guardian-sunset: value [1-9]\d* within \[0, 4294967295\] \(starts at 0\)/,
    );
  }, 120_000);

  it("names each difference of a deployment made from a changed copy, and exits 3", async () => {
    const run = await runLvdao(["verify-deployment", "--api", devnet.url, "--deployer", changedDeployer, "--json"]);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as VerifyReport;
    expect(report.bootstrap).toBe("lvdao-bootstrap-production");
    const found: Record<string, string[]> = {};
    for (const d of report.differences) {
      found[d.subject] ??= [];
      found[d.subject]!.push(d.detail);
    }
    expect(Object.keys(found).sort()).toEqual(
      [
        "action-validator",
        "dao-settings",
        "dao-settings max-pause",
        "liquidity-oracle",
        "lvdao-bootstrap-production",
        OUTSIDER,
      ].sort(),
    );
    expect(report.differences).toHaveLength(7);

    const changedHash = createHash("sha512-256")
      .update(readFileSync(join(copy, "contracts/liquidity-oracle.clar")))
      .digest("hex");
    const repoLines = readFileSync(join(REPO, "contracts/liquidity-oracle.clar"), "utf8").split("\n").length;
    expect(found["liquidity-oracle"]).toEqual([
      expect.stringContaining(`source differs from contracts/liquidity-oracle.clar from line ${repoLines}`),
    ]);
    expect(found["liquidity-oracle"]![0]).toContain(`sha512/256 on-chain ${changedHash}`);
    expect(found["dao-settings"]).toEqual([expect.stringContaining("source differs from contracts/dao-settings.clar")]);
    expect(found["dao-settings max-pause"]).toEqual([
      "bounds on-chain [1, 5000], repository [1, 2016]; value 3000 outside the repository's bounds [1, 2016]",
    ]);
    expect(found["lvdao-bootstrap-production"]).toEqual([
      expect.stringContaining("source differs from deployments/contracts/lvdao-bootstrap-production.clar"),
    ]);
    // action-validator twice: it is an extension now, and an event enabled it.
    const enabledByEvent =
      /^an extension-set event enabled it \(tx 0x[0-9a-f]{64}\), but lvdao-bootstrap-production does not enable it$/;
    expect(found["action-validator"]).toEqual([
      "an extension, but lvdao-bootstrap-production does not enable it",
      expect.stringMatching(enabledByEvent),
    ]);
    expect(found[OUTSIDER]).toEqual([expect.stringMatching(enabledByEvent)]);

    // What did not change still passes: the production bootstrap is sealed and ran, the devnet one is absent.
    const passed = (subject: string): string | undefined =>
      report.checks.find((c) => c.subject === subject && c.status === "ok")?.detail;
    expect(passed("lvdao-core")).toMatch(/^source = contracts\/lvdao-core.clar/);
    expect(passed("lvdao-core is-constructed")).toBe("true");
    expect(passed("lvdao-bootstrap-production sealed")).toBe("true");
    expect(passed("lvdao-bootstrap-production executed")).toBe("true");
    expect(passed("lvdao-bootstrap")).toContain("not deployed, as expected");
    expect(passed("dao-settings veto-quorum")).toBe("value 1 within [1, 16] (starts at 2)");

    // The readable report names the same differences, one line each.
    const text = await runLvdao(["verify-deployment", "--api", devnet.url, "--deployer", changedDeployer]);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain("7 difference(s):");
    expect(text.stdout).toContain("  DIFF  dao-settings max-pause: bounds on-chain [1, 5000]");
    expect(text.stdout).toContain(`  DIFF  ${OUTSIDER}: an extension-set event enabled it`);
  }, 120_000);

  it.each([
    {
      name: "a malformed deployer",
      args: ["--deployer", "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGX"],
      code: 2,
      text: '--deployer "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGX" is not a Stacks address',
    },
    {
      name: "a contract as deployer",
      args: ["--deployer", `${DEPLOYER}.lvdao-core`],
      code: 2,
      text: "is a contract; give the address that deployed lvdao",
    },
    { name: "no --deployer", args: [], code: 2, text: "verify-deployment needs --api <url> and --deployer <address>" },
  ])("refuses $name with exit $code", async ({ args, code, text }) => {
    const err: string[] = [];
    const exit = await main(["verify-deployment", "--api", devnet.url, ...args], {
      out: () => undefined,
      err: (line) => err.push(line),
    });
    expect(err.join("\n")).toContain(text);
    expect(exit).toBe(code);
  });

  it("names the URL when the API is unreachable, and exits 1", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const err: string[] = [];
    const exit = await main(["verify-deployment", "--api", url, "--deployer", DEPLOYER], {
      out: () => undefined,
      err: (line) => err.push(line),
    });
    expect(err.join("\n")).toContain(
      `lvdao: the Stacks API at ${url} is unreachable (GET ${url}/v2/info): ECONNREFUSED`,
    );
    expect(exit).toBe(1);
  });
});
