// The co-signer's signing rules, over a fake chain reader (the chain is its collaborator; the rules, the journal
// and the signing are the real ones).
import type { Psbt } from "bitcoinjs-lib";
import { Psbt as PsbtClass } from "bitcoinjs-lib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeAction } from "../actions/index.ts";
import { EXAMPLES } from "../actions/examples.ts";
import type { OnChainAction } from "../relay/stacks/queue.ts";
import { vaultDescriptorHash } from "../vault/descriptor.ts";
import { type VaultKeys, type VaultOnChain, xpubBytes } from "../vault/keys.ts";
import { finalizeEveryday, signEveryday } from "../vault/sign.ts";
import { type SpendOutput, type VaultUtxo, buildSpendPsbt } from "../vault/spend.ts";
import { FUNDING_SCRIPT, KEYS, XPRV, XPUB, signaturesValid, txid } from "../vault/test/fixtures.ts";
import type { CosignerChain } from "./chain.ts";
import { Cosigner } from "./cosigner.ts";
import { startCosignerServer } from "./http.ts";
import { CosignerJournal } from "./journal.ts";
import type { RefusalCode } from "./refusal.ts";

const LOCAL_SATS = 450_000n;
const MAX_FEE_RATE = 50n;
const CHANGE_SCAN = 20;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function onChainVault(keys: VaultKeys = KEYS, hash = hex(vaultDescriptorHash(KEYS, "regtest"))): VaultOnChain {
  return {
    descriptorHash: hash,
    relayKey: hex(xpubBytes(keys.relay)),
    cosignerKey: hex(xpubBytes(keys.cosigner)),
    guardianKeys: keys.guardians.map((g) => hex(xpubBytes(g))),
    guardianThreshold: BigInt(keys.guardianThreshold),
    recoveryOlder: BigInt(keys.recoveryOlder),
    lastResortKey: hex(xpubBytes(keys.lastResort)),
    lastResortOlder: BigInt(keys.lastResortOlder),
    maxFeeRate: MAX_FEE_RATE,
    setAt: 5n,
  };
}

function channelOpen(id: bigint, overrides: Partial<OnChainAction> = {}, localSats = LOCAL_SATS): OnChainAction {
  const example = EXAMPLES.find((a) => a.kind === "channel-open");
  if (example?.kind !== "channel-open") throw new Error("no channel-open example");
  return {
    id,
    kind: "channel-open",
    payload: encodeAction({ kind: "channel-open", payload: { ...example.payload, localSats } }),
    eta: 0,
    expires: 1000,
    status: "claimed",
    relay: "ST1RELAY",
    claimExpires: 500,
    attempts: 0,
    ...overrides,
  };
}

class FakeChain implements CosignerChain {
  actions = new Map<bigint, OnChainAction>([[7n, channelOpen(7n)]]);
  registered: VaultOnChain | undefined = onChainVault();
  down = false;
  async action(id: bigint) {
    if (this.down) throw new Error("connection refused");
    return this.actions.get(id);
  }
  async vault() {
    if (this.down) throw new Error("connection refused");
    return this.registered;
  }
}

const UTXOS: VaultUtxo[] = [
  { txid: txid(1), vout: 0, sats: 300_000n, index: 0, branch: 0 },
  { txid: txid(2), vout: 1, sats: 250_000n, index: 3, branch: 1 },
];

function fundingPsbt(
  o: { outputs?: SpendOutput[]; feeRate?: bigint; changeIndex?: number; keys?: VaultKeys } = {},
): Psbt {
  return buildSpendPsbt({
    keys: o.keys ?? KEYS,
    network: "regtest",
    utxos: UTXOS,
    outputs: o.outputs ?? [{ script: FUNDING_SCRIPT, sats: LOCAL_SATS }],
    feeRateSatVb: o.feeRate ?? 10n,
    changeIndex: o.changeIndex ?? 2,
  });
}

let chain: FakeChain;
let journal: CosignerJournal;
let cosigner: Cosigner;

beforeEach(() => {
  chain = new FakeChain();
  journal = new CosignerJournal(":memory:");
  cosigner = new Cosigner({ network: "regtest", xprv: XPRV.cosigner, chain, journal, changeScanBound: CHANGE_SCAN });
});
afterEach(() => journal.close());

describe("signing a voted channel-open", () => {
  it("adds the co-signer's signature to every input; with the relay's, the spend finalizes", async () => {
    const psbt = fundingPsbt();
    signEveryday(psbt, XPRV.relay);
    const signed = PsbtClass.fromBase64(await cosigner.sign("7", psbt.toBase64()));
    expect(signed.data.inputs.map((i) => i.tapScriptSig?.length)).toEqual([2, 2]);
    expect(signaturesValid(signed)).toBe(true);
    const tx = finalizeEveryday(signed);
    expect(tx.outs[0]?.value).toBe(LOCAL_SATS);
    expect(cosigner.metrics.signed.get({ kind: "channel-open" })).toBe(1);
  });

  it("the same transaction asked again gets the stored PSBT; nothing is signed twice", async () => {
    const psbt = fundingPsbt().toBase64();
    const first = await cosigner.sign("7", psbt);
    expect(await cosigner.sign("7", psbt)).toBe(first);
    expect(cosigner.metrics.signed.get({ kind: "channel-open" })).toBe(1);
    expect(journal.requests().map((r) => r.outcome)).toEqual(["signed", "repeated"]);
  });

  it("the journal outlives the process: a new co-signer on the same file refuses another transaction", async () => {
    await cosigner.sign("7", fundingPsbt().toBase64());
    const again = new Cosigner({ network: "regtest", xprv: XPRV.cosigner, chain, journal, changeScanBound: 5 });
    await expect(again.sign("7", fundingPsbt({ feeRate: 11n }).toBase64())).rejects.toMatchObject({
      code: "action-already-signed",
    });
  });
});

describe("refusals: nothing is signed and the reason is counted", () => {
  const foreignScript = Uint8Array.from(Buffer.from(`0014${"cd".repeat(20)}`, "hex"));
  const otherKeys: VaultKeys = { ...KEYS, relay: XPUB.lastResort, lastResort: XPUB.relay };
  const cases: { name: string; code: RefusalCode; setup?: () => void; psbt?: () => string; id?: string }[] = [
    {
      name: "the funding amount differs from the vote",
      code: "amount-mismatch",
      psbt: () => fundingPsbt({ outputs: [{ script: FUNDING_SCRIPT, sats: LOCAL_SATS + 1n }] }).toBase64(),
    },
    {
      name: "an extra output pays a foreign address",
      code: "foreign-output",
      psbt: () =>
        fundingPsbt({
          outputs: [
            { script: FUNDING_SCRIPT, sats: LOCAL_SATS - 20_000n },
            { script: foreignScript, sats: 20_000n },
          ],
        }).toBase64(),
    },
    {
      name: "change goes to a vault index beyond the scan bound",
      code: "foreign-output",
      psbt: () => fundingPsbt({ changeIndex: CHANGE_SCAN }).toBase64(),
    },
    {
      name: "the fee rate is above max-fee-rate",
      code: "fee-too-high",
      psbt: () => fundingPsbt({ feeRate: 51n }).toBase64(),
    },
    { name: "the action is unknown", code: "unknown-action", id: "8" },
    {
      name: "the action is queued but not claimed",
      code: "not-claimed",
      setup: () => chain.actions.set(7n, channelOpen(7n, { status: "queued" })),
    },
    {
      name: "the action already executed",
      code: "not-queued",
      setup: () => chain.actions.set(7n, channelOpen(7n, { status: "executed" })),
    },
    {
      name: "the action is a treasury-transfer",
      code: "wrong-kind",
      setup: () => chain.actions.set(7n, channelOpen(7n, { kind: "treasury-transfer" })),
    },
    {
      name: "an input spends another vault's output",
      code: "non-vault-input",
      psbt: () => fundingPsbt({ keys: otherKeys }).toBase64(),
    },
    { name: "no vault is registered", code: "no-vault", setup: () => (chain.registered = undefined) },
    {
      name: "the registered hash is not the keys' descriptor hash",
      code: "descriptor-mismatch",
      setup: () => (chain.registered = onChainVault(KEYS, "00".repeat(32))),
    },
    {
      name: "this co-signer's key is not the registered one",
      code: "not-cosigner",
      setup: () => {
        cosigner = new Cosigner({ network: "regtest", xprv: XPRV.relay, chain, journal, changeScanBound: 5 });
      },
    },
    { name: "the chain cannot be read", code: "chain-unavailable", setup: () => (chain.down = true) },
    { name: "the PSBT is not a PSBT", code: "bad-psbt", psbt: () => "bm90IGEgcHNidA==" },
    { name: "the action id is not a number", code: "bad-request", id: "seven" },
  ];

  it.each(cases)("$name: $code", async ({ code, setup, psbt, id }) => {
    setup?.();
    const request = psbt?.() ?? fundingPsbt().toBase64();
    await expect(cosigner.sign(id ?? "7", request)).rejects.toMatchObject({ code });
    expect(cosigner.metrics.refused.get({ reason: code })).toBe(1);
    expect(cosigner.metrics.signed.get({ kind: "channel-open" })).toBe(0);
    expect(journal.requests().map((r) => r.outcome)).toEqual(["refused"]);
  });

  it("a second, different transaction for a signed action is refused", async () => {
    await cosigner.sign("7", fundingPsbt().toBase64());
    await expect(cosigner.sign("7", fundingPsbt({ changeIndex: 3 }).toBase64())).rejects.toMatchObject({
      code: "action-already-signed",
    });
    expect(cosigner.metrics.refused.get({ reason: "action-already-signed" })).toBe(1);
  });

  it("an amount mismatch names both amounts", async () => {
    const psbt = fundingPsbt({ outputs: [{ script: FUNDING_SCRIPT, sats: 449_999n }] }).toBase64();
    await expect(cosigner.sign("7", psbt)).rejects.toThrow(
      "amount-mismatch: the funding output pays 449999 sats; the DAO voted 450000",
    );
  });

  it("a fee exactly at max-fee-rate is signed", async () => {
    await expect(cosigner.sign("7", fundingPsbt({ feeRate: MAX_FEE_RATE }).toBase64())).resolves.toBeTypeOf("string");
  });
});

describe("the HTTP API", () => {
  it("POST /sign answers 200 {psbt} or 403 {error, reason}; /metrics shows both", async () => {
    const server = await startCosignerServer({ host: "127.0.0.1", port: 0 }, cosigner, () => {});
    try {
      const post = (body: unknown) =>
        fetch(`${server.url}/sign`, { method: "POST", body: JSON.stringify(body) }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Record<string, string>,
        }));
      const ok = await post({ actionId: "7", psbt: fundingPsbt().toBase64() });
      expect(ok.status).toBe(200);
      expect(PsbtClass.fromBase64(ok.body.psbt ?? "").data.inputs[0]?.tapScriptSig).toHaveLength(1);
      const refused = await post({ actionId: "8", psbt: fundingPsbt().toBase64() });
      expect(refused).toEqual({
        status: 404,
        body: { error: "unknown-action", reason: "action 8 is not in the execution queue" },
      });
      expect((await post({ psbt: "x" })).status).toBe(400);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain('lvdao_cosigner_signed_total{kind="channel-open"} 1');
      expect(metrics).toContain('lvdao_cosigner_refused_total{reason="unknown-action"} 1');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
