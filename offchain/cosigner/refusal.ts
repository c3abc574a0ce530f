// Why the co-signer refused a PSBT. Each code is part of its HTTP API and a label of
// lvdao_cosigner_refused_total; docs/vault.md lists them.
export const REFUSALS = {
  "bad-request": 400,
  "bad-psbt": 400,
  "unknown-action": 404,
  "wrong-kind": 403,
  "not-queued": 403,
  "not-claimed": 403,
  "no-vault": 403,
  "not-cosigner": 403,
  "descriptor-mismatch": 403,
  "non-vault-input": 403,
  "foreign-output": 403,
  "amount-mismatch": 403,
  "fee-too-high": 403,
  "action-already-signed": 409,
  "chain-unavailable": 503,
} as const;

export type RefusalCode = keyof typeof REFUSALS;

export class Refusal extends Error {
  override readonly name = "Refusal";
  constructor(
    readonly code: RefusalCode,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
  }
  get status(): number {
    return REFUSALS[this.code];
  }
}
