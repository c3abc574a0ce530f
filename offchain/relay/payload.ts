// Turns a queued payload into the relay's typed action (actions.ts). The payload must decode to exactly the kind's
// tuple in canonical form (payload-schema.ts, the rule action-validator applies on-chain), and pass the shape rules
// the relay depends on to act safely (public keys, outpoints, wallet names, non-zero amounts). Anything else is
// failure 400: the relay never acts on a payload it cannot vouch for.
import { isRelayKind, type RelayAction } from "./actions.ts";
import { LV_WALLETS, type LvWallet } from "./config.ts";
import { invalid } from "./failure.ts";
import { decodePayload } from "./payload-schema.ts";
import type { Outpoint } from "./ports.ts";

type Json = Record<string, unknown>;
const big = (value: unknown): bigint => BigInt(value as number | string);

function pubkey(value: unknown, what: string): string {
  const key = String(value);
  if (!/^0[23][0-9a-f]{64}$/.test(key)) throw invalid(`${what} is not a compressed public key (33 bytes starting 02 or 03)`);
  return key;
}

function outpoint(value: unknown): Outpoint {
  const o = value as { txid: string; vout: number | string };
  if (big(o.vout) >= 2n ** 32n) throw invalid("an outpoint's vout must be below 2^32");
  return { txid: o.txid, vout: Number(o.vout) };
}

function wallet(value: unknown, field: string): LvWallet {
  if (!(LV_WALLETS as readonly string[]).includes(String(value))) throw invalid(`lv-transfer: ${field} wallet "${value}" is not one of ${LV_WALLETS.join(", ")}`);
  return value as LvWallet;
}

function typed(kind: RelayAction["kind"], j: Json): RelayAction {
  switch (kind) {
    case "channel-open":
      return { kind, peer: pubkey(j.peer, "peer"), host: String(j.host), localSats: big(j["local-sats"]), pushSats: big(j["push-sats"]), private: j.private as boolean, baseFeeMsat: big(j["base-fee-msat"]), feePpm: big(j["fee-ppm"]), cltvDelta: big(j["cltv-delta"]) };
    case "channel-close":
      return { kind, outpoint: outpoint({ txid: j.txid, vout: j.vout }), force: j.force as boolean, maxFeeRate: big(j["max-fee-rate"]) };
    case "fee-policy":
      return { kind, target: j.target === null ? null : outpoint(j.target), baseFeeMsat: big(j["base-fee-msat"]), feePpm: big(j["fee-ppm"]), inboundBaseDiscountMsat: big(j["inbound-base-discount-msat"]), inboundPpmDiscount: big(j["inbound-ppm-discount"]), cltvDelta: big(j["cltv-delta"]) };
    case "rebalance-policy":
      return { kind, minInboundPct: big(j["min-inbound-pct"]), minOutboundPct: big(j["min-outbound-pct"]), maxSwapFeePpm: big(j["max-swap-fee-ppm"]), budgetSats: big(j["budget-sats"]), budgetPeriod: big(j["budget-period"]), maxInFlight: big(j["max-in-flight"]), peers: (j.peers as unknown[]).map((p, i) => pubkey(p, `peers[${i}]`)) };
    case "loop-out":
      return { kind, amountSats: big(j["amount-sats"]), channel: j.channel === null ? null : outpoint(j.channel), dest: String(j.dest), maxFeeSats: big(j["max-fee-sats"]) };
    case "loop-in":
      return { kind, amountSats: big(j["amount-sats"]), lastHop: j["last-hop"] === null ? null : pubkey(j["last-hop"], "last-hop"), maxFeeSats: big(j["max-fee-sats"]) };
    case "lv-transfer":
      return { kind, from: wallet(j.from, "from"), to: wallet(j.to, "to"), amount: big(j.amount) };
    case "watchtower":
      return { kind, add: j.add as boolean, pubkey: pubkey(j.pubkey, "pubkey"), host: String(j.host) };
  }
}

export function decodeRelayAction(kind: string, payload: Uint8Array): RelayAction {
  if (!isRelayKind(kind)) throw invalid(`${kind} is not executed by the relay`);
  const action = typed(kind, decodePayload(kind, payload));
  if (action.kind === "channel-open" && action.pushSats > action.localSats) throw invalid("channel-open: push-sats exceeds local-sats");
  if (action.kind === "lv-transfer" && action.from === action.to) throw invalid("lv-transfer: from and to are the same wallet");
  if ((action.kind === "loop-out" || action.kind === "loop-in") && action.amountSats === 0n) throw invalid(`${action.kind}: amount-sats is zero`);
  if (action.kind === "lv-transfer" && action.amount === 0n) throw invalid("lv-transfer: amount is zero");
  return action;
}
