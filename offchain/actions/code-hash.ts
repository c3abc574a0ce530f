// The code hash a contract-proposal pins: SHA-512/256 of the contract's source text as deployed, which is what
// Clarity's `contract-hash?` returns and what action-validator and proposals.execute-proposal compare. Browser-safe:
// @stacks/transactions' SHA-512/256 (it names it for transaction ids) rather than node:crypto.
import { txidFromData } from "@stacks/transactions";

/** The 64-hex-character SHA-512/256 of a contract's source. */
export function codeHash(source: string): string {
  return txidFromData(new TextEncoder().encode(source));
}
