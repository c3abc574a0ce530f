// The co-signer's HTTP API as the relay calls it: POST /sign {actionId, psbt} -> {psbt} with its signatures added, or
// 4xx {error, reason} with nothing signed. A refusal is final for this PSBT (409, reported on-chain); an unreachable
// co-signer or a 5xx is retried.
import { Psbt, Transaction } from "bitcoinjs-lib";
import { conflict, RetryableFailure } from "../failure.ts";

export async function requestCosignature(
  url: string,
  actionId: bigint,
  psbt: Psbt,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<Psbt> {
  const call = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await call(new URL("/sign", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ actionId: actionId.toString(), psbt: psbt.toBase64() }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new RetryableFailure(`co-signer unreachable: ${(error as Error).message}`, { cause: error });
  }
  const text = await response.text();
  let body: { psbt?: unknown; error?: unknown; reason?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new RetryableFailure(`co-signer answered HTTP ${response.status} without JSON`);
  }
  if (response.status >= 400 && response.status < 500)
    throw conflict(`co-signer refused: ${String(body.error)}: ${String(body.reason)}`);
  if (!response.ok) throw new RetryableFailure(`co-signer answered HTTP ${response.status}: ${String(body.reason)}`);
  if (typeof body.psbt !== "string") throw new RetryableFailure("co-signer answered without a psbt");
  const signed = Psbt.fromBase64(body.psbt);
  // The co-signer may only add signatures: the transaction it signed must be the one sent.
  if (txidOf(signed) !== txidOf(psbt)) throw conflict("co-signer returned a different transaction");
  return signed;
}

/** The txid of a PSBT's unsigned transaction (final for segwit and taproot inputs). */
export function txidOf(psbt: Psbt): string {
  return Transaction.fromBuffer(psbt.data.getTransaction()).getId();
}
