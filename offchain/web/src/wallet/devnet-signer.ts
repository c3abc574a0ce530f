// The devnet account picker's signer: on a local devnet only, the page signs a contract call itself with one of
// settings/Devnet.toml's public test keys and broadcasts it to the node, the way a wallet would. Those keys are
// published test keys, never for real funds; the configuration drops them off devnet (config.ts).
import { makeContractCall } from "@stacks/transactions";
import type { DevnetAccount } from "../config.ts";
import type { ContractCall } from "./calls.ts";
import { WalletError } from "./wallet.ts";

/** Devnet fees are nominal; 10,000 micro-STX clears the node emulation's minimum for any lvdao call. */
const DEVNET_FEE = 10_000n;

async function nextNonce(nodeUrl: string, address: string): Promise<bigint> {
  const response = await fetch(`${nodeUrl}/extended/v1/address/${address}/nonces`);
  const body = (await response.json().catch(() => null)) as { possible_next_nonce?: unknown } | null;
  if (!response.ok || typeof body?.possible_next_nonce !== "number")
    throw new WalletError("wallet", `the node did not give ${address}'s next nonce`);
  return BigInt(body.possible_next_nonce);
}

/** Signs `call` with the account's devnet key, broadcasts it, and resolves with the txid (hex, no 0x). */
export async function signWithDevnetAccount(
  call: ContractCall,
  account: DevnetAccount,
  nodeUrl: string,
): Promise<string> {
  const [contractAddress = "", contractName = ""] = call.contract.split(".");
  const tx = await makeContractCall({
    contractAddress,
    contractName,
    functionName: call.functionName,
    functionArgs: call.functionArgs,
    postConditions: call.postConditions,
    postConditionMode: call.postConditionMode,
    senderKey: account.privateKey,
    fee: DEVNET_FEE,
    nonce: await nextNonce(nodeUrl, account.address),
    network: "devnet",
    client: { baseUrl: nodeUrl },
  });
  const response = await fetch(`${nodeUrl}/v2/transactions`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: tx.serializeBytes() as BufferSource,
  });
  const body = (await response.json().catch(() => null)) as unknown;
  if (typeof body !== "string") {
    const reason =
      (body as { reason?: unknown; error?: unknown } | null)?.reason ?? (body as { error?: unknown })?.error;
    throw new WalletError("wallet", `the node refused the transaction: ${String(reason ?? response.status)}`);
  }
  return body.replace(/^0x/, "").toLowerCase();
}
