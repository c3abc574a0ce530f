// createAddress: a fresh on-chain receive address from lnd's wallet. Requires `address:write` (and
// `onchain:read` for the taproot support check).
import { createChainAddress, type AuthenticatedLnd } from "lightning";
import { unexpectedResponse } from "../errors.ts";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const createAddressRpc: readonly string[] = ["/lnrpc.Lightning/NewAddress", "/walletrpc.WalletKit/ListAccounts"];

export async function createAddress(
  args: { lnd: AuthenticatedLnd; format?: "p2tr" | "p2wpkh" } & LndCallOptions,
): Promise<string> {
  const format = new Checker("lnd", "createAddress").oneOf("format", args.format ?? "p2tr", [
    "p2tr",
    "p2wpkh",
  ] as const);
  const { address } = await viaLightning("createAddress", () => createChainAddress({ lnd: args.lnd, format }), args);
  if (typeof address !== "string" || !/^(bc|tb|bcrt)1[02-9ac-hj-np-z]{8,87}$/.test(address))
    throw unexpectedResponse("lnd", "createAddress", "not a segwit address");
  return address;
}
