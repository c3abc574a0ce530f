// Decodes a broadcast transaction and checks what a Stacks node checks before anything else: that it parses, that
// it is for this network, and that the origin's (and sponsor's) signature recovers to the key whose hash160 is the
// signer field. Every failure is a Rejection with the node's reason name.
import {
  AddressHashMode,
  AddressVersion,
  AuthType,
  PayloadType,
  type PostConditionMode,
  addressFromVersionHash,
  addressToString,
  deserializeTransaction,
  isSingleSig,
  nextVerification,
  type PostConditionWire,
  type SpendingCondition,
  type StacksTransactionWire,
  type ClarityValue,
  type ClarityVersion,
  addressFromPublicKeys,
  addressHashModeToVersion,
} from "@stacks/transactions";
import { ChainId, TransactionVersion } from "@stacks/network";
import { Rejection } from "./rejection.ts";

export type DecodedPayload =
  | { kind: "token_transfer"; recipient: string; amount: bigint; memoHex: string }
  | { kind: "contract_call"; contractId: string; functionName: string; args: ClarityValue[] }
  | {
      kind: "smart_contract";
      contractName: string;
      contractId: string;
      code: string;
      clarityVersion: ClarityVersion | null;
    };

export interface DecodedTx {
  txid: string;
  raw: Uint8Array;
  sender: string;
  nonce: bigint;
  /** Who pays the fee: the sponsor for a sponsored transaction, else the sender. */
  feePayer: string;
  fee: bigint;
  sponsor: { address: string; nonce: bigint } | null;
  payload: DecodedPayload;
  postConditionMode: PostConditionMode;
  postConditions: PostConditionWire[];
  wire: StacksTransactionWire;
}

export const DEVNET_CHAIN_ID = ChainId.Testnet;

export function decodeTransaction(raw: Uint8Array, txidOf: (bytes: Uint8Array) => string): DecodedTx {
  const txid = txidOf(raw);
  let wire: StacksTransactionWire;
  try {
    wire = deserializeTransaction(raw);
  } catch (cause) {
    throw new Rejection(
      "Serialization",
      { message: `cannot deserialize transaction: ${(cause as Error).message}` },
      txid,
    );
  }
  if (wire.serializeBytes().length !== raw.length) {
    throw new Rejection("Serialization", { message: "trailing bytes after the transaction" }, txid);
  }
  if (wire.transactionVersion !== TransactionVersion.Testnet || wire.chainId !== DEVNET_CHAIN_ID) {
    throw new Rejection(
      "BadTransactionVersion",
      { message: `expected version 0x80 and chain id 0x${DEVNET_CHAIN_ID.toString(16)}` },
      txid,
    );
  }
  verifySignatures(wire, txid);
  const origin = wire.auth.spendingCondition;
  const sender = signerAddress(origin);
  const sponsorCondition = wire.auth.authType === AuthType.Sponsored ? wire.auth.sponsorSpendingCondition : null;
  const sponsor = sponsorCondition ? { address: signerAddress(sponsorCondition), nonce: sponsorCondition.nonce } : null;
  return {
    txid,
    raw,
    sender,
    nonce: origin.nonce,
    feePayer: sponsor?.address ?? sender,
    fee: sponsorCondition ? sponsorCondition.fee : origin.fee,
    sponsor,
    payload: decodePayload(wire, sender, txid),
    postConditionMode: wire.postConditionMode,
    postConditions: wire.postConditions.values as PostConditionWire[],
    wire,
  };
}

function verifySignatures(wire: StacksTransactionWire, txid: string): void {
  try {
    const afterOrigin = wire.verifyOrigin();
    if (wire.auth.authType === AuthType.Sponsored) {
      verifyCondition(wire.auth.sponsorSpendingCondition, afterOrigin, AuthType.Sponsored);
    }
  } catch (cause) {
    throw new Rejection("SignatureValidation", { message: (cause as Error).message }, txid);
  }
}

// @stacks/transactions verifies only the origin; the sponsor's signature follows the same recovery rule, continuing
// the sighash chain from the origin's.
function verifyCondition(condition: SpendingCondition, sigHash: string, authType: AuthType): void {
  if (!isSingleSig(condition)) throw new Error("multisig sponsors are not supported by the devnet node");
  const { pubKey } = nextVerification(
    sigHash,
    authType,
    condition.fee,
    condition.nonce,
    condition.keyEncoding,
    condition.signature.data,
  );
  const hash = addressFromPublicKeys(AddressVersion.TestnetSingleSig, condition.hashMode, 1, [pubKey]).hash160;
  if (hash !== condition.signer)
    throw new Error(`sponsor signer hash ${condition.signer} does not match the recovered key ${hash}`);
}

function signerAddress(condition: SpendingCondition): string {
  const version =
    condition.hashMode === AddressHashMode.P2PKH
      ? AddressVersion.TestnetSingleSig
      : addressHashModeToVersion(condition.hashMode, "testnet");
  return addressToString(addressFromVersionHash(version, condition.signer));
}

function decodePayload(wire: StacksTransactionWire, sender: string, txid: string): DecodedPayload {
  const payload = wire.payload;
  switch (payload.payloadType) {
    case PayloadType.TokenTransfer: {
      const recipient = payload.recipient.type === "address" ? payload.recipient.value : payload.recipient.value;
      return {
        kind: "token_transfer",
        recipient,
        amount: payload.amount,
        // The memo is 34 bytes on the wire; the decoder strips its zero padding, the API shows all 34 bytes.
        memoHex: Buffer.from(payload.memo.content, "utf8").toString("hex").padEnd(68, "0"),
      };
    }
    case PayloadType.ContractCall:
      return {
        kind: "contract_call",
        contractId: `${addressToString(payload.contractAddress)}.${payload.contractName.content}`,
        functionName: payload.functionName.content,
        args: payload.functionArgs,
      };
    case PayloadType.SmartContract:
    case PayloadType.VersionedSmartContract:
      return {
        kind: "smart_contract",
        contractName: payload.contractName.content,
        contractId: `${sender}.${payload.contractName.content}`,
        code: payload.codeBody.content,
        clarityVersion: payload.payloadType === PayloadType.VersionedSmartContract ? payload.clarityVersion : null,
      };
    case PayloadType.Coinbase:
    case PayloadType.CoinbaseToAltRecipient:
    case PayloadType.NakamotoCoinbase:
      throw new Rejection("NoCoinbaseViaMempool", {}, txid);
    case PayloadType.TenureChange:
      throw new Rejection("NoTenureChangeViaMempool", {}, txid);
    default:
      throw new Rejection(
        "Other",
        { message: `payload type ${payload.payloadType} is not accepted by the devnet node` },
        txid,
      );
  }
}
