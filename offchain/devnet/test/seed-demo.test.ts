// The lvdao project itself (not the fixture) on the node emulation: `--seed-demo`'s proposals, made through signed
// transactions over HTTP, end in the five states it promises, and a proposal reads back through the node's
// read-only route and shows up as proposal-created in the logs route.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cl, cvToString, fetchCallReadOnlyFunction } from "@stacks/transactions";
import type { ApiContractLogs } from "../api-types.ts";
import { startDevnet, type Devnet } from "../index.ts";
import { DEMO_STATUSES, seedDemo, type SeededProposal } from "../seed-demo.ts";

const PROJECT = fileURLToPath(new URL("../../..", import.meta.url));
let devnet: Devnet;
let seeded: SeededProposal[];
let deployer: string;
const progress: string[] = [];

beforeAll(async () => {
  devnet = await startDevnet({ projectDir: PROJECT, port: 0, blockTimeMs: 0, burnBlockTimeMs: 0 });
  deployer = devnet.account("deployer").address;
  seeded = await seedDemo(devnet, (line) => progress.push(line));
}, 180_000);
afterAll(async () => {
  await devnet?.stop();
});

const read = (
  contractName: string,
  functionName: string,
  functionArgs: ReturnType<typeof Cl.uint>[] | ReturnType<typeof Cl.stringAscii>[],
) =>
  fetchCallReadOnlyFunction({
    contractAddress: deployer,
    contractName,
    functionName,
    functionArgs,
    senderAddress: deployer,
    network: "testnet",
    client: { baseUrl: devnet.url },
  });

describe("npm start -- --seed-demo on the lvdao contracts", () => {
  it("leaves proposals 1..5 executed, defeated, queued, active and pending", () => {
    expect(seeded.map((p) => p.id)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(seeded.map((p) => p.status)).toEqual([...DEMO_STATUSES]);
    expect(progress.some((line) => line.includes("proposal 5") && line.includes("pending"))).toBe(true);
  });

  it("really applied the executed proposal's setting and queued the passed channel-open for the relay", async () => {
    expect(cvToString(await read("dao-settings", "get-setting", [Cl.stringAscii("max-fee-ppm")]))).toContain("u4000");
    const action = cvToString(await read("execution-queue", "get-action", [Cl.uint(3)]));
    expect(action).toContain('"channel-open"');
  });

  it("reads a proposal back through call-read and shows proposal-created in the logs route", async () => {
    const proposal = cvToString(await read("proposals", "get-proposal", [Cl.uint(2)]));
    expect(proposal).toContain(`(proposer ${devnet.account("wallet_2").address})`);
    expect(proposal).toContain('(title u"Halve the Loop swap ceiling")');

    const response = await fetch(`${devnet.url}/extended/v2/smart-contracts/${deployer}.proposals/logs?limit=50`);
    expect(response.status).toBe(200);
    const logs = (await response.json()) as ApiContractLogs;
    const reprs = logs.results.map((log) => ("contract_log" in log ? log.contract_log.value.repr : ""));
    const created = reprs.filter((repr) => repr.includes('(topic "proposal-created")'));
    expect(created).toHaveLength(5);
    expect(created.some((repr) => repr.includes("(id u2)") && repr.includes(devnet.account("wallet_2").address))).toBe(
      true,
    );
  });
});
