// The member's wallet through @stacks/connect 8: `connect` (the wallet picker, then getAddresses) and
// `request('stx_callContract')`, which hands the call to the wallet to sign and broadcast. Any SIP-030 / WBIP
// wallet works: Leather, Xverse, or a test wallet registered in window.wbip_providers.
import { connect, disconnect, getLocalStorage, isConnected, request } from "@stacks/connect";
import type { NetworkName } from "../config.ts";
import type { ContractCall } from "./calls.ts";

export class WalletError extends Error {
  override name = "WalletError";
  constructor(
    readonly code: "rejected" | "no_address" | "wrong_network" | "no_txid" | "wallet",
    message: string,
  ) {
    super(message);
  }
}

/** JSON-RPC codes @stacks/connect and wallets use when the person says no. */
const REJECTION_CODES = new Set([-31001, -32000, 4001]);

function fromWallet(error: unknown): WalletError {
  if (error instanceof WalletError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof code === "number" && REJECTION_CODES.has(code))
    return new WalletError("rejected", "the request was cancelled in the wallet");
  return new WalletError(
    "wallet",
    `the wallet answered with an error: ${typeof message === "string" ? message : String(error)}`,
  );
}

/** Whether an address belongs to the network (mainnet SP/SM, else ST/SN). */
export function addressMatchesNetwork(address: string, network: NetworkName): boolean {
  const mainnet = address.startsWith("SP") || address.startsWith("SM");
  return mainnet === (network === "mainnet");
}

export async function connectWallet(network: NetworkName): Promise<string> {
  const result = await connect({ network }).catch((error: unknown) => {
    throw fromWallet(error);
  });
  const stacks = result.addresses.filter((entry) => entry.address.startsWith("S"));
  if (stacks.length === 0) throw new WalletError("no_address", "the wallet returned no Stacks address");
  const address = stacks.find((entry) => addressMatchesNetwork(entry.address, network))?.address;
  if (!address)
    throw new WalletError(
      "wrong_network",
      `the wallet's address ${stacks[0]!.address} is not a ${network} address; switch the wallet's network`,
    );
  return address;
}

/** The address a previous `connect` stored, when it fits the network. */
export function storedAddress(network: NetworkName): string | null {
  if (!isConnected()) return null;
  const address = getLocalStorage()?.addresses?.stx?.[0]?.address;
  return address && addressMatchesNetwork(address, network) ? address : null;
}

export function disconnectWallet(): void {
  disconnect();
}

/** Asks the wallet to sign and broadcast the call; resolves with the transaction id (hex, no 0x). */
export async function signAndBroadcast(call: ContractCall, network: NetworkName): Promise<string> {
  const result = await request("stx_callContract", {
    contract: call.contract,
    functionName: call.functionName,
    functionArgs: call.functionArgs,
    postConditions: call.postConditions,
    postConditionMode: call.postConditionMode,
    network,
  }).catch((error: unknown) => {
    throw fromWallet(error);
  });
  const txid = result?.txid;
  if (typeof txid !== "string" || !/^(0x)?[0-9a-fA-F]{64}$/.test(txid))
    throw new WalletError("no_txid", "the wallet did not return a transaction id");
  return txid.replace(/^0x/, "").toLowerCase();
}
