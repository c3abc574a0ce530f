// The payload rules of docs/contracts.md ("Payload validation rules"), the same ones action-validator applies
// on-chain, with the same error names. validateAction throws the first broken rule, in the contract's order.
import { fail } from "./errors.ts";
import { LV_WALLETS } from "./kinds.ts";
import { DEFAULT_SETTINGS, SETTINGS, type PayloadBounds } from "./settings.ts";
import type { Action, LvPricingPayload, Outpoint, VaultSet } from "./types.ts";
import { toClarityValue } from "./clarity.ts";

const MAX_BASE_FEE_MSAT = 1_000_000_000n;
const MAX_INBOUND_BASE_MSAT = 2_147_483_647n;
const MAX_INBOUND_PPM = 1_000_000n;
const MAX_SWAP_FEE_PPM = 100_000n;
const MAX_VOUT = 4_294_967_295;
const MAX_GRANT = 1_000_000_000_000_000n;
const MAX_TRANSFER = 1_000_000_000_000_000n;
const CODE_HASH_BYTES = 32;
const XPUB_BYTES = 78;
/** Offset of the public key in a serialized extended key; an extended private key has 00 there. */
const XPUB_KEY_OFFSET = 45;
const MIN_RECOVERY_OLDER = 144n;
const MAX_RECOVERY_OLDER = 52_560n;
/** A relative timelock counts at most 65535 blocks (BIP-68). */
const MAX_LAST_RESORT_OLDER = 65_535n;
const MAX_VAULT_FEE_RATE = 1_000n;
const BPS = 10_000n;
const MAX_SPREAD_BPS = 2_000n;
const MAX_SLOPE_BPS = 10_000n;
const MAX_PREMIUM_BPS = 5_000n;
const MIN_QUOTE_TTL = 10n;
const MAX_QUOTE_TTL = 3_600n;

export function isPubkey(hex: string): boolean {
  return hex.length === 66 && (hex.startsWith("02") || hex.startsWith("03"));
}

function checkOutpoint(point: Outpoint | null, field: string): void {
  if (point && (point.txid.length !== 64 || point.vout > MAX_VOUT)) {
    fail("ERR_BAD_OUTPOINT", field, "must be a 32-byte txid and a vout below 2^32");
  }
}

function checkFees(p: { baseFeeMsat: bigint; feePpm: bigint; cltvDelta: bigint }, bounds: PayloadBounds): void {
  if (p.baseFeeMsat > MAX_BASE_FEE_MSAT) fail("ERR_BASE_FEE", "base-fee-msat", `must be at most ${MAX_BASE_FEE_MSAT}`);
  if (p.feePpm > bounds.maxFeePpm) fail("ERR_FEE_PPM", "fee-ppm", `must be at most max-fee-ppm (${bounds.maxFeePpm})`);
  if (p.cltvDelta < 18n || p.cltvDelta > 2016n) fail("ERR_CLTV_DELTA", "cltv-delta", "must lie in [18, 2016]");
}

function checkLoop(p: { amountSats: bigint; maxFeeSats: bigint }, bounds: PayloadBounds): void {
  if (p.amountSats === 0n) fail("ERR_ZERO_AMOUNT", "amount-sats", "must be positive");
  if (p.amountSats > bounds.maxLoopSats)
    fail("ERR_LOOP_AMOUNT", "amount-sats", `must be at most max-loop-sats (${bounds.maxLoopSats})`);
  if (p.maxFeeSats > p.amountSats) fail("ERR_LOOP_FEE", "max-fee-sats", "must not exceed amount-sats");
}

/** A BIP-32 extended public key as its 78 serialized bytes (hex), key data a compressed public key. */
export function isXpubBytes(hex: string): boolean {
  const prefix = hex.slice(XPUB_KEY_OFFSET * 2, XPUB_KEY_OFFSET * 2 + 2);
  return hex.length === XPUB_BYTES * 2 && (prefix === "02" || prefix === "03");
}

function checkVault(p: VaultSet): void {
  if (p.descriptorHash.length !== 64)
    fail("ERR_DESCRIPTOR_HASH", "descriptor-hash", "must be 32 bytes, the sha256 of the descriptor text");
  const keys: [string, string][] = [
    ["relay-key", p.relayKey],
    ["cosigner-key", p.cosignerKey],
    ["last-resort-key", p.lastResortKey],
    ...p.guardianKeys.map((key, i): [string, string] => [`guardian-keys[${i}]`, key]),
  ];
  for (const [field, key] of keys) {
    if (!isXpubBytes(key))
      fail("ERR_BAD_XPUB", field, "must be a 78-byte serialized extended public key (key data starting 02 or 03)");
  }
  if (p.guardianKeys.length === 0) fail("ERR_NO_GUARDIANS", "guardian-keys", "must list 1 to 7 guardian keys");
  keys.forEach(([field, key], i) => {
    if (keys.findIndex(([, other]) => other === key) !== i)
      fail("ERR_DUPLICATE_KEY", field, "every vault key must differ from the others");
  });
  if (p.guardianThreshold < 1n || p.guardianThreshold > BigInt(p.guardianKeys.length))
    fail("ERR_GUARDIAN_THRESHOLD", "guardian-threshold", `must lie in [1, ${p.guardianKeys.length}] (k of n)`);
  if (p.recoveryOlder < MIN_RECOVERY_OLDER || p.recoveryOlder > MAX_RECOVERY_OLDER)
    fail("ERR_RECOVERY_OLDER", "recovery-older", `must lie in [${MIN_RECOVERY_OLDER}, ${MAX_RECOVERY_OLDER}] blocks`);
  if (p.lastResortOlder <= p.recoveryOlder || p.lastResortOlder > MAX_LAST_RESORT_OLDER)
    fail(
      "ERR_LAST_RESORT_OLDER",
      "last-resort-older",
      `must be above recovery-older and at most ${MAX_LAST_RESORT_OLDER} blocks`,
    );
  if (p.maxFeeRate < 1n || p.maxFeeRate > MAX_VAULT_FEE_RATE)
    fail("ERR_VAULT_FEE_RATE", "max-fee-rate", `must lie in [1, ${MAX_VAULT_FEE_RATE}] sat/vB`);
}

function checkPricing(p: LvPricingPayload): void {
  if (p.referenceMsat === 0n) fail("ERR_REFERENCE_PRICE", "reference-msat", "must be positive (msat per LV unit)");
  if (p.spreadBps > MAX_SPREAD_BPS) fail("ERR_SPREAD", "spread-bps", `must be at most ${MAX_SPREAD_BPS} bps`);
  if (p.targetInboundBps > BPS) fail("ERR_TARGET_INBOUND", "target-inbound-bps", `must be at most ${BPS} bps`);
  if (p.premiumSlopeBps > MAX_SLOPE_BPS)
    fail("ERR_PREMIUM_SLOPE", "premium-slope-bps", `must be at most ${MAX_SLOPE_BPS} bps per 1% of shortfall`);
  if (p.maxPremiumBps > MAX_PREMIUM_BPS)
    fail("ERR_MAX_PREMIUM", "max-premium-bps", `must be at most ${MAX_PREMIUM_BPS} bps`);
  if (p.quoteTtl < MIN_QUOTE_TTL || p.quoteTtl > MAX_QUOTE_TTL)
    fail("ERR_QUOTE_TTL", "quote-ttl", `must lie in [${MIN_QUOTE_TTL}, ${MAX_QUOTE_TTL}] seconds`);
  if (p.maxTradeLv === 0n) fail("ERR_TRADE_LIMIT", "max-trade-lv", "must be positive (LV base units)");
  if (p.maxPeriodLv < p.maxTradeLv) fail("ERR_PERIOD_LIMIT", "max-period-lv", "must be at least max-trade-lv");
  if (p.period === 0n) fail("ERR_PRICING_PERIOD", "period", "must be at least 1 Stacks block");
}

/** Checks that a setting key exists and a value is within its bounds, as dao-settings.check-setting does. */
export function checkSetting(key: string, value: bigint, bounds: PayloadBounds = DEFAULT_SETTINGS): void {
  const spec = SETTINGS[key];
  if (!spec) fail("ERR_UNKNOWN_KEY", "key", `${JSON.stringify(key)} is not a dao-settings key`);
  const outOfBounds =
    value < spec.min ||
    value > spec.max ||
    (key === "min-channel-sats" && value > bounds.maxChannelSats) ||
    (key === "max-channel-sats" && value < bounds.minChannelSats);
  if (outOfBounds) fail("ERR_SETTING_BOUNDS", "value", `${key} must lie in [${spec.min}, ${spec.max}] (${spec.unit})`);
}

/** Throws an ActionError for the first rule the action breaks; returns the action otherwise. */
export function validateAction<A extends Action>(action: A, bounds: PayloadBounds = DEFAULT_SETTINGS): A {
  toClarityValue(action.kind, action.payload as never); // the Clarity types first, as from-consensus-buff? does
  switch (action.kind) {
    case "channel-open": {
      const p = action.payload;
      if (!isPubkey(p.peer)) fail("ERR_BAD_PUBKEY", "peer", "must be a 33-byte key starting 02 or 03");
      if (p.host.length === 0) fail("ERR_BAD_HOST", "host", "must not be empty");
      if (p.localSats < bounds.minChannelSats || p.localSats > bounds.maxChannelSats) {
        fail("ERR_CHANNEL_SIZE", "local-sats", `must lie in [${bounds.minChannelSats}, ${bounds.maxChannelSats}]`);
      }
      if (p.pushSats > p.localSats) fail("ERR_PUSH_EXCEEDS_LOCAL", "push-sats", "must not exceed local-sats");
      checkFees(p, bounds);
      break;
    }
    case "channel-close": {
      const p = action.payload;
      checkOutpoint({ txid: p.txid, vout: p.vout }, "txid");
      if (p.maxFeeRate < 1n || p.maxFeeRate > 10_000n)
        fail("ERR_FEE_RATE", "max-fee-rate", "must lie in [1, 10000] sat/vB");
      break;
    }
    case "fee-policy": {
      const p = action.payload;
      checkOutpoint(p.target, "target");
      checkFees(p, bounds);
      if (p.inboundBaseDiscountMsat > MAX_INBOUND_BASE_MSAT)
        fail("ERR_INBOUND_DISCOUNT", "inbound-base-discount-msat", "must fit lnd's int32");
      if (p.inboundPpmDiscount > MAX_INBOUND_PPM)
        fail("ERR_INBOUND_DISCOUNT", "inbound-ppm-discount", "must be at most 1000000");
      break;
    }
    case "rebalance-policy": {
      const p = action.payload;
      if (p.minInboundPct > 100n || p.minOutboundPct > 100n || p.minInboundPct + p.minOutboundPct > 100n) {
        fail("ERR_PCT", "min-inbound-pct", "percentages must be at most 100 and sum to at most 100");
      }
      if (p.maxSwapFeePpm > MAX_SWAP_FEE_PPM)
        fail("ERR_FEE_PPM", "max-swap-fee-ppm", `must be at most ${MAX_SWAP_FEE_PPM}`);
      if (p.budgetSats === 0n) fail("ERR_ZERO_AMOUNT", "budget-sats", "must be positive");
      if (p.budgetPeriod < 1n || p.budgetPeriod > 52_560n)
        fail("ERR_BUDGET_PERIOD", "budget-period", "must lie in [1, 52560] burn blocks");
      if (p.maxInFlight < 1n || p.maxInFlight > 16n) fail("ERR_IN_FLIGHT", "max-in-flight", "must lie in [1, 16]");
      p.peers.forEach((peer, i) => {
        if (!isPubkey(peer)) fail("ERR_BAD_PUBKEY", `peers[${i}]`, "must be a 33-byte key starting 02 or 03");
      });
      p.peers.forEach((peer, i) => {
        if (p.peers.indexOf(peer) !== i) fail("ERR_DUPLICATE_PEER", `peers[${i}]`, "is listed twice");
      });
      break;
    }
    case "loop-out": {
      const p = action.payload;
      checkLoop(p, bounds);
      checkOutpoint(p.channel, "channel");
      if (p.dest.length < 14) fail("ERR_BAD_DEST", "dest", "must be an address (at least 14 characters)");
      break;
    }
    case "loop-in": {
      const p = action.payload;
      checkLoop(p, bounds);
      if (p.lastHop !== null && !isPubkey(p.lastHop))
        fail("ERR_BAD_PUBKEY", "last-hop", "must be a 33-byte key starting 02 or 03");
      break;
    }
    case "lv-transfer": {
      const p = action.payload;
      const wallets = LV_WALLETS as readonly string[];
      if (!wallets.includes(p.from)) fail("ERR_BAD_WALLET", "from", `must be one of ${LV_WALLETS.join(", ")}`);
      if (!wallets.includes(p.to)) fail("ERR_BAD_WALLET", "to", `must be one of ${LV_WALLETS.join(", ")}`);
      if (p.from === p.to) fail("ERR_SAME_WALLET", "to", "must differ from from");
      if (p.amount === 0n) fail("ERR_ZERO_AMOUNT", "amount", "must be positive");
      break;
    }
    case "watchtower": {
      const p = action.payload;
      if (!isPubkey(p.pubkey)) fail("ERR_BAD_PUBKEY", "pubkey", "must be a 33-byte key starting 02 or 03");
      if (p.add && p.host.length === 0) fail("ERR_BAD_HOST", "host", "must not be empty when adding a tower");
      break;
    }
    case "lv-allocation": {
      const p = action.payload;
      if (p.infrastructureBps + p.channelBps + p.reserveBps !== 10_000n)
        fail("ERR_BPS_SUM", "reserve-bps", "the three bps must sum to 10000");
      break;
    }
    case "setting":
      checkSetting(action.payload.key, action.payload.value, bounds);
      break;
    case "gt-grant": {
      const p = action.payload;
      if (p.amount === 0n) fail("ERR_ZERO_AMOUNT", "amount", "must be positive");
      if (p.amount > MAX_GRANT) fail("ERR_GRANT_TOO_LARGE", "amount", `must be at most ${MAX_GRANT} GT base units`);
      break;
    }
    case "contract-proposal": {
      const p = action.payload;
      if (!p.proposal.includes(".")) fail("ERR_NOT_CONTRACT", "proposal", "must be a contract principal");
      // The chain compares the hash with the deployed code (ERR_CONTRACT_MISSING, ERR_CODE_HASH); without the chain
      // only its shape can be checked, and a shorter buffer can never equal a contract's hash.
      if (p.codeHash.length !== CODE_HASH_BYTES * 2) {
        fail(
          "ERR_MALFORMED_PAYLOAD",
          "code-hash",
          `must be exactly ${CODE_HASH_BYTES} bytes (${CODE_HASH_BYTES * 2} hex characters), ` +
            "the SHA-512/256 of the contract's source",
        );
      }
      break;
    }
    case "treasury-transfer": {
      const p = action.payload;
      if (p.amount === 0n) fail("ERR_ZERO_AMOUNT", "amount", "must be positive");
      if (p.amount > MAX_TRANSFER)
        fail("ERR_TRANSFER_TOO_LARGE", "amount", `must be at most ${MAX_TRANSFER} GT base units`);
      break;
    }
    case "vault-set":
      checkVault(action.payload);
      break;
    case "lv-pricing":
      checkPricing(action.payload);
      break;
    case "relay-set":
    case "member-attestor":
    case "guardian-set":
      break;
  }
  return action;
}

/** Conviction pools (conviction-voting's `pool`). */
export const POOL = { none: 0n, onchainSats: 1n, lvReserve: 2n, gtSupply: 3n } as const;

/** The amount a proposal requests (r) and the pool it is measured against (R), as action-validator reports them. */
export function requestedAmount(action: Action): { requested: bigint; pool: bigint } {
  switch (action.kind) {
    case "channel-open":
      return { requested: action.payload.localSats + action.payload.pushSats, pool: POOL.onchainSats };
    case "loop-out":
    case "loop-in":
      return { requested: action.payload.amountSats, pool: POOL.onchainSats };
    case "lv-transfer":
      return { requested: action.payload.amount, pool: POOL.lvReserve };
    case "gt-grant":
      return { requested: action.payload.amount, pool: POOL.gtSupply };
    default:
      return { requested: 0n, pool: POOL.none };
  }
}
