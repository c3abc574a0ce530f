// One signing request, start to finish: parse, look the action id up in the journal (a second request for the same
// transaction gets the stored answer; a different transaction is refused), read the action and the vault from the
// chain, apply the rules, then sign and journal in one synchronous step so two concurrent requests for one action
// cannot both sign.
import { HDKey } from "@scure/bip32";
import { Psbt, Transaction } from "bitcoinjs-lib";
import { Counter, Registry } from "../relay/metrics.ts";
import { VaultKeyring } from "../vault/descriptor.ts";
import { type Network, hdVersions } from "../vault/keys.ts";
import { signEveryday } from "../vault/sign.ts";
import type { CosignerChain } from "./chain.ts";
import type { CosignerJournal } from "./journal.ts";
import { Refusal } from "./refusal.ts";
import { ChangeScripts, checkAction, checkFundingPsbt, checkVault } from "./rules.ts";

export class CosignerMetrics {
  readonly registry = new Registry();
  readonly signed = this.registry.register(
    new Counter("lvdao_cosigner_signed_total", "PSBTs the co-signer signed, by action kind"),
  );
  readonly refused = this.registry.register(
    new Counter("lvdao_cosigner_refused_total", "Signing requests the co-signer refused, by reason"),
  );
}

export interface CosignerOptions {
  network: Network;
  /** the co-signer's extended private key; never logged, never returned */
  xprv: string;
  chain: CosignerChain;
  journal: CosignerJournal;
  changeScanBound: number;
  metrics?: CosignerMetrics;
}

function unsignedTxid(psbt: Psbt): string {
  const tx = new Transaction();
  tx.version = psbt.version;
  tx.locktime = psbt.locktime;
  for (const input of psbt.txInputs) tx.addInput(input.hash, input.index, input.sequence);
  for (const output of psbt.txOutputs) tx.addOutput(output.script, output.value);
  return tx.getId();
}

export class Cosigner {
  readonly metrics: CosignerMetrics;
  readonly xpub: string;
  private readonly changeScripts: ChangeScripts;
  /** the last registered vault seen, checked and with its keyring, reused while the registration is unchanged */
  private vaultCache: { registration: string; keyring: VaultKeyring } | undefined;

  constructor(private readonly o: CosignerOptions) {
    this.metrics = o.metrics ?? new CosignerMetrics();
    this.xpub = HDKey.fromExtendedKey(o.xprv, hdVersions(o.network)).publicExtendedKey;
    this.changeScripts = new ChangeScripts(o.changeScanBound);
  }

  /** Signs or throws a Refusal; a refusal is counted and journaled, and nothing is signed. */
  async sign(actionId: string, psbtBase64: string): Promise<string> {
    let txid: string | undefined;
    try {
      if (!/^\d{1,20}$/.test(actionId)) throw new Refusal("bad-request", "actionId must be a decimal action id");
      let psbt: Psbt;
      try {
        psbt = Psbt.fromBase64(psbtBase64);
      } catch (error) {
        throw new Refusal("bad-psbt", `not a base64 PSBT: ${(error as Error).message}`);
      }
      txid = unsignedTxid(psbt);
      const stored = this.storedAnswer(actionId, txid);
      if (stored !== undefined) return stored;

      const id = BigInt(actionId);
      let action: Awaited<ReturnType<CosignerChain["action"]>>;
      let vault: Awaited<ReturnType<CosignerChain["vault"]>>;
      try {
        [action, vault] = await Promise.all([this.o.chain.action(id), this.o.chain.vault()]);
      } catch (error) {
        throw new Refusal("chain-unavailable", `cannot read the chain: ${(error as Error).message}`);
      }
      const localSats = checkAction(action, id);
      const keyring = this.keyringOf(vault);
      checkFundingPsbt({
        psbt,
        keyring,
        changeScripts: this.changeScripts.of(keyring, vault?.descriptorHash ?? ""),
        localSats,
        maxFeeRate: vault?.maxFeeRate ?? 0n,
      });

      // From here to the journal write nothing awaits: no other request can interleave.
      const again = this.storedAnswer(actionId, txid);
      if (again !== undefined) return again;
      signEveryday(psbt, this.o.xprv);
      const signed = psbt.toBase64();
      this.o.journal.recordSigned({ actionId, unsignedTxid: txid, psbt: signed }, "channel-open");
      this.metrics.signed.inc({ kind: "channel-open" });
      return signed;
    } catch (error) {
      if (error instanceof Refusal) {
        this.metrics.refused.inc({ reason: error.code });
        this.o.journal.logRequest(actionId, txid, "refused", `${error.code}: ${error.reason}`);
      }
      throw error;
    }
  }

  private keyringOf(vault: Awaited<ReturnType<CosignerChain["vault"]>>): VaultKeyring {
    const registration = JSON.stringify(vault ?? null, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    if (this.vaultCache?.registration === registration) return this.vaultCache.keyring;
    const keyring = new VaultKeyring(checkVault(vault, this.o.network, this.xpub), this.o.network);
    this.vaultCache = { registration, keyring };
    return keyring;
  }

  private storedAnswer(actionId: string, txid: string): string | undefined {
    const stored = this.o.journal.signed(actionId);
    if (stored === undefined) return undefined;
    if (stored.unsignedTxid !== txid) {
      throw new Refusal(
        "action-already-signed",
        `action ${actionId} was signed for transaction ${stored.unsignedTxid}; this is ${txid}`,
      );
    }
    this.o.journal.logRequest(actionId, txid, "repeated", "the stored signature was returned");
    return stored.psbt;
  }
}
