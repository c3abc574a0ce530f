// The production bootstrap's rules, on a fresh chain (the emulation with lvdao published but not constructed):
// only the deployer configures, only before seal; bounded lists; values in range; construct refuses an unsealed
// bootstrap. Each error constant of deployments/contracts/lvdao-bootstrap-production.clar is produced here.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  broadcastTransaction,
  Cl,
  cvToString,
  fetchCallReadOnlyFunction,
  makeContractCall,
  makeRandomPrivKey,
  privateKeyToAddress,
  PostConditionMode,
  type ClarityValue,
} from "@stacks/transactions";
import { httpNode, productionPlan, PRODUCTION_BOOTSTRAP } from "../deploy.ts";
import { startDevnet, type Devnet } from "../index.ts";
import { applyPlan } from "../../deploy/plan.ts";

const PROJECT = fileURLToPath(new URL("../../..", import.meta.url));
const fresh = (): string => privateKeyToAddress(makeRandomPrivKey(), "testnet");
let devnet: Devnet;
let deployer: string;

beforeAll(async () => {
  devnet = await startDevnet({ projectDir: PROJECT, port: 0, blockTimeMs: 20, burnBlockTimeMs: 0, plan: null });
  deployer = devnet.account("deployer").address;
  const plan = await productionPlan(
    PROJECT,
    { grants: [], relays: [], guardians: [], vetoQuorum: 1n, sunsetBlocks: 10n },
    { network: "testnet", deployer, stacksNode: devnet.url, feeRate: 1 },
  );
  // Only the publishes, up to and including the production bootstrap: the test configures it by hand.
  const last = plan.plan.batches.findIndex((b) =>
    b.transactions.some((tx) => "contract-name" in tx && tx["contract-name"] === PRODUCTION_BOOTSTRAP.name),
  );
  plan.plan.batches = plan.plan.batches.slice(0, last + 1);
  await applyPlan(
    PROJECT,
    plan,
    new Map([[deployer, devnet.account("deployer").privateKey]]),
    httpNode(devnet.url, "testnet", { pollMs: 20 }),
  );
}, 180_000);
afterAll(async () => {
  await devnet?.stop();
});

async function send(
  wallet: string,
  contractName: string,
  functionName: string,
  functionArgs: ClarityValue[],
): Promise<string> {
  const tx = await makeContractCall({
    contractAddress: deployer,
    contractName,
    functionName,
    functionArgs,
    senderKey: devnet.account(wallet).privateKey,
    fee: 5_000,
    postConditionMode: PostConditionMode.Allow,
    network: "testnet",
    client: { baseUrl: devnet.url },
  });
  const result = (await broadcastTransaction({
    transaction: tx,
    network: "testnet",
    client: { baseUrl: devnet.url },
  })) as { txid: string; error?: string };
  if (result.error) throw new Error(`refused: ${JSON.stringify(result)}`);
  return (await devnet.waitForTx(result.txid)).resultRepr ?? "";
}
const configure = (fn: string, args: ClarityValue[], wallet = "deployer") =>
  send(wallet, PRODUCTION_BOOTSTRAP.name, fn, args);

describe("lvdao-bootstrap-production", () => {
  it("takes configuration only from its deployer, with values in range and bounded lists", async () => {
    expect(await configure("add-relay", [Cl.principal(fresh())], "wallet_1")).toBe("(err u2201)");
    expect(await configure("add-grant", [Cl.principal(fresh()), Cl.uint(0)])).toBe("(err u2205)");
    expect(await configure("set-guardian-terms", [Cl.uint(0), Cl.uint(10)])).toBe("(err u2205)");
    for (let i = 0; i < 10; i++) expect(await configure("add-relay", [Cl.principal(fresh())])).toBe("(ok true)");
    expect(await configure("add-relay", [Cl.principal(fresh())])).toBe("(err u2203)");
  });

  it("refuses construct before seal, and a seal whose quorum the guardians cannot reach", async () => {
    expect(
      await send("deployer", "lvdao-core", "construct", [Cl.contractPrincipal(deployer, PRODUCTION_BOOTSTRAP.name)]),
    ).toBe("(err u2204)");
    expect(await configure("add-guardian", [Cl.principal(fresh())])).toBe("(ok true)");
    expect(await configure("set-guardian-terms", [Cl.uint(2), Cl.uint(10)])).toBe("(ok true)");
    expect(await configure("seal", [])).toBe("(err u2205)");
  });

  it("seals, then refuses every change, and construct applies exactly the sealed configuration", async () => {
    const holder = fresh();
    expect(await configure("add-grant", [Cl.principal(holder), Cl.uint(5_000_000)])).toBe("(ok true)");
    expect(await configure("set-guardian-terms", [Cl.uint(1), Cl.uint(10)])).toBe("(ok true)");
    expect(await configure("seal", [])).toBe("(ok true)");
    expect(await configure("add-grant", [Cl.principal(fresh()), Cl.uint(1)])).toBe("(err u2202)");
    expect(
      await send("deployer", "lvdao-core", "construct", [Cl.contractPrincipal(deployer, PRODUCTION_BOOTSTRAP.name)]),
    ).toBe("(ok true)");
    const supply = await fetchCallReadOnlyFunction({
      contractAddress: deployer,
      contractName: "gt-token",
      functionName: "get-total-supply",
      functionArgs: [],
      senderAddress: deployer,
      network: "testnet",
      client: { baseUrl: devnet.url },
    });
    expect(cvToString(supply)).toBe("(ok u5000000)");
    expect(await configure("seal", [])).toBe("(err u2202)");
  });
});
