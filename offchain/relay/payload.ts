// Turns a queued payload into the relay's typed action (actions.ts). A payload is the consensus serialization of the
// kind's tuple; it is accepted only if it deserializes to exactly the kind's tuple type and re-serializes to the same
// bytes (the rule action-validator applies on-chain), and only with the shape rules the relay depends on to act
// safely (public keys, outpoints, wallet names). Anything else is failure 400.
// The shared codec in offchain/actions is the project's one encoder; this decoder is bound in start.ts until the
// codec lands there, and the two must agree on every payload (see payload.test.ts).
import { Cl, serializeCV, type ClarityValue } from "@stacks/transactions";
import { isRelayKind, type RelayAction } from "./actions.ts";
import { LV_WALLETS, type LvWallet } from "./config.ts";
import { invalid } from "./failure.ts";
import type { Outpoint } from "./ports.ts";

type Fields = Record<string, ClarityValue>;

class Reader {
  constructor(
    private readonly fields: Fields,
    private readonly kind: string,
  ) {}
  private take(name: string, type: string): ClarityValue {
    const value = this.fields[name];
    if (!value) throw invalid(`${this.kind}: field ${name} is missing`);
    if (value.type !== type) throw invalid(`${this.kind}: field ${name} must be ${type}, got ${value.type}`);
    return value;
  }
  uint(name: string): bigint {
    return BigInt((this.take(name, "uint") as { value: bigint | string }).value);
  }
  bool(name: string): boolean {
    const value = this.fields[name];
    if (value?.type === "true") return true;
    if (value?.type === "false") return false;
    throw invalid(`${this.kind}: field ${name} must be a bool`);
  }
  ascii(name: string): string {
    return String((this.take(name, "ascii") as { value: string }).value);
  }
  buffer(name: string): string {
    return String((this.take(name, "buffer") as { value: string }).value).toLowerCase();
  }
  pubkey(name: string, value = this.buffer(name)): string {
    if (!/^0[23][0-9a-f]{64}$/.test(value)) throw invalid(`${this.kind}: ${name} is not a 33-byte compressed public key`);
    return value;
  }
  optional(name: string): Fields | ClarityValue | null {
    const value = this.fields[name];
    if (value?.type === "none") return null;
    if (value?.type === "some") return value.value;
    throw invalid(`${this.kind}: field ${name} must be optional`);
  }
  outpointOf(value: ClarityValue | Fields | null, name: string): Outpoint | null {
    if (value === null) return null;
    if ((value as ClarityValue).type !== "tuple") throw invalid(`${this.kind}: ${name} must be an outpoint tuple`);
    const inner = new Reader((value as { value: Fields }).value, `${this.kind}.${name}`);
    return outpoint(inner);
  }
  keys(): string[] {
    return Object.keys(this.fields).sort();
  }
}

function outpoint(r: Reader): Outpoint {
  const txid = r.buffer("txid");
  const vout = r.uint("vout");
  if (txid.length !== 64) throw invalid("an outpoint's txid must be 32 bytes");
  if (vout >= 2n ** 32n) throw invalid("an outpoint's vout must be below 2^32");
  return { txid, vout: Number(vout) };
}

function wallet(r: Reader, name: string): LvWallet {
  const value = r.ascii(name);
  if (!(LV_WALLETS as readonly string[]).includes(value)) throw invalid(`lv-transfer: ${name} wallet "${value}" is not one of ${LV_WALLETS.join(", ")}`);
  return value as LvWallet;
}

const FIELDS: Record<string, string[]> = {
  "channel-open": ["base-fee-msat", "cltv-delta", "fee-ppm", "host", "local-sats", "peer", "private", "push-sats"],
  "channel-close": ["force", "max-fee-rate", "txid", "vout"],
  "fee-policy": ["base-fee-msat", "cltv-delta", "fee-ppm", "inbound-base-discount-msat", "inbound-ppm-discount", "target"],
  "rebalance-policy": ["budget-period", "budget-sats", "max-in-flight", "max-swap-fee-ppm", "min-inbound-pct", "min-outbound-pct", "peers"],
  "loop-out": ["amount-sats", "channel", "dest", "max-fee-sats"],
  "loop-in": ["amount-sats", "last-hop", "max-fee-sats"],
  "lv-transfer": ["amount", "from", "to"],
  watchtower: ["add", "host", "pubkey"],
};

function typed(kind: string, r: Reader): RelayAction {
  switch (kind) {
    case "channel-open":
      return { kind, peer: r.pubkey("peer"), host: r.ascii("host"), localSats: r.uint("local-sats"), pushSats: r.uint("push-sats"), private: r.bool("private"), baseFeeMsat: r.uint("base-fee-msat"), feePpm: r.uint("fee-ppm"), cltvDelta: r.uint("cltv-delta") };
    case "channel-close":
      return { kind, outpoint: outpoint(r), force: r.bool("force"), maxFeeRate: r.uint("max-fee-rate") };
    case "fee-policy":
      return { kind, target: r.outpointOf(r.optional("target"), "target"), baseFeeMsat: r.uint("base-fee-msat"), feePpm: r.uint("fee-ppm"), inboundBaseDiscountMsat: r.uint("inbound-base-discount-msat"), inboundPpmDiscount: r.uint("inbound-ppm-discount"), cltvDelta: r.uint("cltv-delta") };
    case "rebalance-policy": {
      const list = (r as unknown as { fields: Fields }).fields.peers;
      if (list?.type !== "list") throw invalid("rebalance-policy: peers must be a list");
      const peers = (list.value as ClarityValue[]).map((peer, i) => r.pubkey(`peers[${i}]`, peer.type === "buffer" ? String(peer.value).toLowerCase() : ""));
      return { kind, minInboundPct: r.uint("min-inbound-pct"), minOutboundPct: r.uint("min-outbound-pct"), maxSwapFeePpm: r.uint("max-swap-fee-ppm"), budgetSats: r.uint("budget-sats"), budgetPeriod: r.uint("budget-period"), maxInFlight: r.uint("max-in-flight"), peers };
    }
    case "loop-out":
      return { kind, amountSats: r.uint("amount-sats"), channel: r.outpointOf(r.optional("channel"), "channel"), dest: r.ascii("dest"), maxFeeSats: r.uint("max-fee-sats") };
    case "loop-in": {
      const hop = r.optional("last-hop");
      const lastHop = hop === null ? null : r.pubkey("last-hop", (hop as ClarityValue).type === "buffer" ? String((hop as { value: string }).value).toLowerCase() : "");
      return { kind, amountSats: r.uint("amount-sats"), lastHop, maxFeeSats: r.uint("max-fee-sats") };
    }
    case "lv-transfer":
      return { kind, from: wallet(r, "from"), to: wallet(r, "to"), amount: r.uint("amount") };
    case "watchtower":
      return { kind, add: r.bool("add"), pubkey: r.pubkey("pubkey"), host: r.ascii("host") };
    default:
      throw invalid(`${kind} is not executed by the relay`);
  }
}

export function decodeRelayAction(kind: string, payload: Uint8Array): RelayAction {
  if (!isRelayKind(kind)) throw invalid(`${kind} is not executed by the relay`);
  const hex = Buffer.from(payload).toString("hex");
  let value: ClarityValue;
  try {
    value = Cl.deserialize(hex);
  } catch (error) {
    throw invalid(`${kind}: payload is not a Clarity value (${(error as Error).message})`);
  }
  if (value.type !== "tuple") throw invalid(`${kind}: payload must be a tuple, got ${value.type}`);
  if (serializeCV(value) !== hex) throw invalid(`${kind}: payload is not in canonical form`);
  const reader = new Reader(value.value as Fields, kind);
  const expected = FIELDS[kind]!;
  if (reader.keys().join(",") !== expected.join(",")) throw invalid(`${kind}: payload fields are ${reader.keys().join(", ")}, expected ${expected.join(", ")}`);
  const action = typed(kind, reader);
  if (action.kind === "channel-open" && action.pushSats > action.localSats) throw invalid("channel-open: push-sats exceeds local-sats");
  if (action.kind === "lv-transfer" && action.from === action.to) throw invalid("lv-transfer: from and to are the same wallet");
  if ((action.kind === "loop-out" || action.kind === "loop-in") && action.amountSats === 0n) throw invalid(`${action.kind}: amount-sats is zero`);
  if (action.kind === "lv-transfer" && action.amount === 0n) throw invalid("lv-transfer: amount is zero");
  return action;
}
