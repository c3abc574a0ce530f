// The testnet deployment path applied to a real Stacks node API (the emulation, started empty): generate the plan
// from a deployer's params, sign every transaction with the deployer key, broadcast over HTTP, wait for each batch.
// The production bootstrap must leave GT, relay and guardian power exactly where the params put them and none with
// the public devnet test accounts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Cl,
  cvToString,
  fetchCallReadOnlyFunction,
  makeRandomPrivKey,
  privateKeyToAddress,
  type ClarityValue,
} from "@stacks/transactions";
import { httpNode, productionPlan, readDeployParams, DeployParamsError } from "../deploy.ts";
import { startDevnet, type Devnet } from "../index.ts";
import { applyPlan, PlanError } from "../../deploy/plan.ts";

const PROJECT = fileURLToPath(new URL("../../..", import.meta.url));
const fresh = (): string => privateKeyToAddress(makeRandomPrivKey(), "testnet");
const [holder, relay, guardianA, guardianB] = [fresh(), fresh(), fresh(), fresh()];
let devnet: Devnet;
let dir: string;
let deployer: string;
let txids: string[];

const writeParams = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const read = async (contractName: string, functionName: string, functionArgs: ClarityValue[]): Promise<string> =>
  cvToString(
    await fetchCallReadOnlyFunction({
      contractAddress: deployer,
      contractName,
      functionName,
      functionArgs,
      senderAddress: deployer,
      network: "testnet",
      client: { baseUrl: devnet.url },
    }),
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-deploy-"));
  devnet = await startDevnet({ projectDir: PROJECT, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0, plan: null });
  const account = devnet.account("deployer");
  deployer = account.address;
  const params = await readDeployParams(
    writeParams("params.json", {
      grants: [{ recipient: holder, amount: "2000000000000" }],
      relays: [relay],
      guardians: [guardianA, guardianB],
      "veto-quorum": 2,
      "sunset-blocks": 1000,
    }),
    "testnet",
    PROJECT,
  );
  const plan = await productionPlan(PROJECT, params, {
    network: "testnet",
    deployer,
    stacksNode: devnet.url,
    feeRate: 1,
  });
  txids = await applyPlan(
    PROJECT,
    plan,
    new Map([[deployer, account.privateKey]]),
    httpNode(devnet.url, "testnet", { pollMs: 25 }),
  );
}, 180_000);
afterAll(async () => {
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("deploy:apply against a Stacks node API", () => {
  it("publishes every contract, configures and seals the production bootstrap, and constructs the DAO", async () => {
    expect(txids.length).toBeGreaterThan(17);
    expect(await read("lvdao-core", "is-constructed", [])).toBe("true");
    expect(await read("lvdao-core", "is-extension", [Cl.contractPrincipal(deployer, "proposals")])).toBe("true");
    expect(await read("lvdao-bootstrap-production", "get-configuration", [])).toContain("(executed true)");
    const sources = await fetch(`${devnet.url}/v2/contracts/source/${deployer}/lvdao-bootstrap`);
    expect(sources.status).toBe(404); // the devnet bootstrap is not published
  });

  it("gives GT, relay and guardian power to the params' principals and to no devnet test account", async () => {
    expect(await read("gt-token", "get-balance", [Cl.principal(holder)])).toBe("(ok u2000000000000)");
    expect(await read("gt-token", "get-total-supply", [])).toBe("(ok u2000000000000)");
    expect(await read("execution-queue", "is-relay", [Cl.principal(relay)])).toBe("true");
    expect(await read("guardian", "is-guardian", [Cl.principal(guardianA)])).toBe("true");
    expect(await read("guardian", "is-guardian", [Cl.principal(guardianB)])).toBe("true");
    expect(await read("dao-settings", "get-setting", [Cl.stringAscii("veto-quorum")])).toContain("u2");
    for (const account of devnet.accounts) {
      const who = Cl.principal(account.address);
      expect(await read("gt-token", "get-balance", [who]), account.name).toBe("(ok u0)");
      expect(await read("execution-queue", "is-relay", [who]), account.name).toBe("false");
      expect(await read("guardian", "is-guardian", [who]), account.name).toBe("false");
    }
  });

  it("refuses a key that is not the plan's deployer before broadcasting anything", async () => {
    const params = await readDeployParams(writeParams("empty.json", {}), "testnet", PROJECT);
    const plan = await productionPlan(PROJECT, params, {
      network: "testnet",
      deployer,
      stacksNode: devnet.url,
      feeRate: 1,
    });
    const height = devnet.chain.tip.height;
    await expect(
      applyPlan(
        PROJECT,
        plan,
        new Map([[deployer, devnet.account("wallet_1").privateKey]]),
        httpNode(devnet.url, "testnet"),
      ),
    ).rejects.toThrow(PlanError);
    expect(devnet.chain.tip.height).toBe(height);
    expect(devnet.chain.mempool.size).toBe(0);
  });
});

describe("deploy params", () => {
  const refused = async (value: unknown, network: "testnet" | "mainnet" = "testnet") =>
    readDeployParams(writeParams("bad.json", value), network, PROJECT);
  it("refuses a public devnet test account, on testnet and as its mainnet address", async () => {
    await expect(refused({ relays: ["ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0"] })).rejects.toThrow(
      /relays\[0\].*public devnet test account wallet_6/,
    );
    const mainnetTwin = privateKeyToAddress(devnet.account("wallet_1").privateKey, "mainnet");
    await expect(refused({ guardians: [mainnetTwin] }, "mainnet")).rejects.toThrow(/guardians\[0\].*wallet_1/);
  });
  it("names the refused field: another network's address, zero grant, unreachable quorum, unknown field", async () => {
    await expect(refused({ relays: ["SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7"] })).rejects.toThrow(
      /relays\[0\].*not a testnet address/,
    );
    await expect(refused({ grants: [{ recipient: holder, amount: 0 }] })).rejects.toThrow(
      /grants\[0\].amount must be an integer/,
    );
    await expect(refused({ guardians: [guardianA], "veto-quorum": 2 })).rejects.toThrow(
      /veto-quorum 2 is more than the 1 guardians/,
    );
    await expect(refused({ relay: [relay] })).rejects.toThrow(DeployParamsError);
  });
});

describe("npm run deploy:plan / deploy:apply (the command line)", () => {
  it("writes a plan, then applies it with the key from a 0600 file, never printing the key", async () => {
    const { execFile } = await import("node:child_process");
    const run = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number; out: string }>((done) => {
        execFile(
          process.execPath,
          ["--import", "tsx", "scripts/deploy.ts", ...args],
          { cwd: PROJECT, env: { ...process.env, ...env } },
          (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
        );
      });
    const empty = await startDevnet({ projectDir: PROJECT, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0, plan: null });
    try {
      const account = empty.account("deployer");
      const planFile = join(dir, "cli-plan.yaml");
      const params = writeParams("cli-params.json", { relays: [relay] });
      const planned = await run([
        "plan",
        "--network",
        "testnet",
        "--deployer",
        account.address,
        "--params",
        params,
        "--node",
        empty.url,
        "--fee-rate",
        "1",
        "--out",
        planFile,
      ]);
      expect(planned.out).toContain("relays 1");
      expect(planned.code).toBe(0);

      const missing = await run(["apply", "--plan", planFile], { LVDAO_DEPLOYER_KEY: "", LVDAO_DEPLOYER_KEY_FILE: "" });
      expect(missing.code).toBe(2);
      expect(missing.out).toContain("no deployer key");

      const keyFile = join(dir, "deployer.key");
      writeFileSync(keyFile, account.privateKey, { mode: 0o600 });
      const applied = await run(["apply", "--plan", planFile, "--key-file", keyFile]);
      expect(applied.out).toContain("transactions confirmed");
      expect(applied.code).toBe(0);
      expect(applied.out).not.toContain(account.privateKey.slice(0, 64));
      const constructed = await fetchCallReadOnlyFunction({
        contractAddress: account.address,
        contractName: "lvdao-core",
        functionName: "is-constructed",
        functionArgs: [],
        senderAddress: account.address,
        network: "testnet",
        client: { baseUrl: empty.url },
      });
      expect(cvToString(constructed)).toBe("true");
    } finally {
      await empty.stop();
    }
  }, 120_000);
});
