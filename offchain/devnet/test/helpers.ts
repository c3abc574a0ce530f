// Shared setup for the node-emulation tests: a devnet over the fixture project on a free port, and signing helpers
// that use the real @stacks/transactions client against it.
import { fileURLToPath } from "node:url";
import {
  Cl,
  makeContractCall,
  type ClarityValue,
  type PostConditionModeName,
  type PostCondition,
} from "@stacks/transactions";
import { startDevnet, type Devnet, type DevnetOptions } from "../index.ts";

export const FIXTURE_PROJECT = fileURLToPath(new URL("../test-fixtures/project", import.meta.url));
export const DEPLOYER = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";
export const COUNTER = `${DEPLOYER}.counter`;

export function startFixtureDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  return startDevnet({ projectDir: FIXTURE_PROJECT, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0, ...options });
}

export function clientNetwork(devnet: Devnet) {
  return { network: "testnet" as const, client: { baseUrl: devnet.url } };
}

export async function counterCall(
  devnet: Devnet,
  wallet: string,
  functionName: string,
  functionArgs: ClarityValue[],
  extra: {
    nonce?: number | bigint;
    fee?: number;
    postConditionMode?: PostConditionModeName;
    postConditions?: PostCondition[];
  } = {},
) {
  return makeContractCall({
    contractAddress: DEPLOYER,
    contractName: "counter",
    functionName,
    functionArgs,
    senderKey: devnet.account(wallet).privateKey,
    fee: extra.fee ?? 1_000,
    ...(extra.nonce !== undefined ? { nonce: extra.nonce } : {}),
    ...(extra.postConditionMode ? { postConditionMode: extra.postConditionMode } : {}),
    ...(extra.postConditions ? { postConditions: extra.postConditions } : {}),
    ...clientNetwork(devnet),
  });
}

export async function readCount(devnet: Devnet): Promise<bigint> {
  const result = devnet.chain.host.readOnly(COUNTER, "get-count", [], DEPLOYER).result;
  if (result.type !== "uint") throw new Error(`unexpected get-count result ${result.type}`);
  return BigInt(result.value);
}

export { Cl };
