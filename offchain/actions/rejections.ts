// Payloads that break exactly one rule each, with the error name both the codec and action-validator give.
// Used by offchain/actions/validate.test.ts and, against the chain, by tests/actions-roundtrip.test.ts.
import type { ActionErrorName } from "./errors.ts";
import { EXAMPLES, EXAMPLE_PEER, exampleXpub } from "./examples.ts";
import type { Action, PayloadOf } from "./types.ts";
import type { ActionKind } from "./kinds.ts";

function example<K extends ActionKind>(kind: K): PayloadOf[K] {
  const found = EXAMPLES.find((a) => a.kind === kind);
  if (!found) throw new Error(`no example for ${kind}`);
  return found.payload as PayloadOf[K];
}
function with_<K extends ActionKind>(kind: K, changes: Partial<PayloadOf[K]>): Action {
  return { kind, payload: { ...example(kind), ...changes } } as unknown as Action;
}

export interface Rejection {
  name: string;
  action: Action;
  code: ActionErrorName;
  field: string;
}

export const REJECTIONS: Rejection[] = [
  {
    name: "a 32-byte peer",
    action: with_("channel-open", { peer: "02" + "11".repeat(31) }),
    code: "ERR_BAD_PUBKEY",
    field: "peer",
  },
  {
    name: "a peer starting 04",
    action: with_("channel-open", { peer: "04" + "11".repeat(32) }),
    code: "ERR_BAD_PUBKEY",
    field: "peer",
  },
  { name: "an empty host", action: with_("channel-open", { host: "" }), code: "ERR_BAD_HOST", field: "host" },
  {
    name: "a channel below min-channel-sats",
    action: with_("channel-open", { localSats: 19_999n, pushSats: 0n }),
    code: "ERR_CHANNEL_SIZE",
    field: "local-sats",
  },
  {
    name: "a channel above max-channel-sats",
    action: with_("channel-open", { localSats: 16_777_216n }),
    code: "ERR_CHANNEL_SIZE",
    field: "local-sats",
  },
  {
    name: "a push above local",
    action: with_("channel-open", { pushSats: 1_000_001n }),
    code: "ERR_PUSH_EXCEEDS_LOCAL",
    field: "push-sats",
  },
  {
    name: "a base fee above 10^9 msat",
    action: with_("channel-open", { baseFeeMsat: 1_000_000_001n }),
    code: "ERR_BASE_FEE",
    field: "base-fee-msat",
  },
  {
    name: "fee-ppm above max-fee-ppm",
    action: with_("fee-policy", { feePpm: 5_001n }),
    code: "ERR_FEE_PPM",
    field: "fee-ppm",
  },
  {
    name: "cltv-delta 17",
    action: with_("channel-open", { cltvDelta: 17n }),
    code: "ERR_CLTV_DELTA",
    field: "cltv-delta",
  },
  {
    name: "cltv-delta 2017",
    action: with_("fee-policy", { cltvDelta: 2017n }),
    code: "ERR_CLTV_DELTA",
    field: "cltv-delta",
  },
  {
    name: "an inbound base discount above int32",
    action: with_("fee-policy", { inboundBaseDiscountMsat: 2_147_483_648n }),
    code: "ERR_INBOUND_DISCOUNT",
    field: "inbound-base-discount-msat",
  },
  {
    name: "an inbound ppm discount above 10^6",
    action: with_("fee-policy", { inboundPpmDiscount: 1_000_001n }),
    code: "ERR_INBOUND_DISCOUNT",
    field: "inbound-ppm-discount",
  },
  {
    name: "a 31-byte target txid",
    action: with_("fee-policy", { target: { txid: "ab".repeat(31), vout: 0 } }),
    code: "ERR_BAD_OUTPOINT",
    field: "target",
  },
  {
    name: "a vout of 2^32",
    action: with_("channel-close", { vout: 2 ** 32 }),
    code: "ERR_BAD_OUTPOINT",
    field: "txid",
  },
  {
    name: "max-fee-rate 0",
    action: with_("channel-close", { maxFeeRate: 0n }),
    code: "ERR_FEE_RATE",
    field: "max-fee-rate",
  },
  {
    name: "max-fee-rate 10001",
    action: with_("channel-close", { maxFeeRate: 10_001n }),
    code: "ERR_FEE_RATE",
    field: "max-fee-rate",
  },
  {
    name: "a pct above 100",
    action: with_("rebalance-policy", { minInboundPct: 101n, minOutboundPct: 0n }),
    code: "ERR_PCT",
    field: "min-inbound-pct",
  },
  {
    name: "pcts summing above 100",
    action: with_("rebalance-policy", { minInboundPct: 60n, minOutboundPct: 50n }),
    code: "ERR_PCT",
    field: "min-inbound-pct",
  },
  {
    name: "a swap fee above 10%",
    action: with_("rebalance-policy", { maxSwapFeePpm: 100_001n }),
    code: "ERR_FEE_PPM",
    field: "max-swap-fee-ppm",
  },
  {
    name: "a zero budget",
    action: with_("rebalance-policy", { budgetSats: 0n }),
    code: "ERR_ZERO_AMOUNT",
    field: "budget-sats",
  },
  {
    name: "a budget period of 0",
    action: with_("rebalance-policy", { budgetPeriod: 0n }),
    code: "ERR_BUDGET_PERIOD",
    field: "budget-period",
  },
  {
    name: "17 swaps in flight",
    action: with_("rebalance-policy", { maxInFlight: 17n }),
    code: "ERR_IN_FLIGHT",
    field: "max-in-flight",
  },
  {
    name: "a bad peer",
    action: with_("rebalance-policy", { peers: ["05" + "11".repeat(32)] }),
    code: "ERR_BAD_PUBKEY",
    field: "peers[0]",
  },
  {
    name: "a duplicate peer",
    action: with_("rebalance-policy", { peers: [EXAMPLE_PEER, EXAMPLE_PEER] }),
    code: "ERR_DUPLICATE_PEER",
    field: "peers[1]",
  },
  {
    name: "a loop of 0 sats",
    action: with_("loop-out", { amountSats: 0n, maxFeeSats: 0n }),
    code: "ERR_ZERO_AMOUNT",
    field: "amount-sats",
  },
  {
    name: "a loop above max-loop-sats",
    action: with_("loop-in", { amountSats: 10_000_001n }),
    code: "ERR_LOOP_AMOUNT",
    field: "amount-sats",
  },
  {
    name: "a loop fee above the amount",
    action: with_("loop-in", { maxFeeSats: 250_001n }),
    code: "ERR_LOOP_FEE",
    field: "max-fee-sats",
  },
  {
    name: "a short destination",
    action: with_("loop-out", { dest: "bcrt1qshort" }),
    code: "ERR_BAD_DEST",
    field: "dest",
  },
  {
    name: "a bad loop channel",
    action: with_("loop-out", { channel: { txid: "ab", vout: 0 } }),
    code: "ERR_BAD_OUTPOINT",
    field: "channel",
  },
  { name: "a bad last hop", action: with_("loop-in", { lastHop: "02" }), code: "ERR_BAD_PUBKEY", field: "last-hop" },
  { name: "an unknown wallet", action: with_("lv-transfer", { to: "treasury" }), code: "ERR_BAD_WALLET", field: "to" },
  { name: "the same wallets", action: with_("lv-transfer", { to: "reserve" }), code: "ERR_SAME_WALLET", field: "to" },
  { name: "zero LV", action: with_("lv-transfer", { amount: 0n }), code: "ERR_ZERO_AMOUNT", field: "amount" },
  {
    name: "a bad tower key",
    action: with_("watchtower", { pubkey: "00".repeat(33) }),
    code: "ERR_BAD_PUBKEY",
    field: "pubkey",
  },
  {
    name: "a tower added without host",
    action: with_("watchtower", { host: "" }),
    code: "ERR_BAD_HOST",
    field: "host",
  },
  {
    name: "bps summing to 9999",
    action: with_("lv-allocation", { reserveBps: 4999n }),
    code: "ERR_BPS_SUM",
    field: "reserve-bps",
  },
  {
    name: "an unknown setting key",
    action: with_("setting", { key: "no-such-key", value: 1n }),
    code: "ERR_UNKNOWN_KEY",
    field: "key",
  },
  {
    name: "a setting out of bounds",
    action: with_("setting", { key: "max-fee-ppm", value: 1_000_001n }),
    code: "ERR_SETTING_BOUNDS",
    field: "value",
  },
  {
    name: "a min-channel-sats above max-channel-sats",
    action: with_("setting", { key: "min-channel-sats", value: 20_000_000n }),
    code: "ERR_SETTING_BOUNDS",
    field: "value",
  },
  { name: "a zero grant", action: with_("gt-grant", { amount: 0n }), code: "ERR_ZERO_AMOUNT", field: "amount" },
  {
    name: "a grant above 10^15",
    action: with_("gt-grant", { amount: 10n ** 15n + 1n }),
    code: "ERR_GRANT_TOO_LARGE",
    field: "amount",
  },
  {
    name: "a standard principal as a contract",
    action: with_("contract-proposal", { proposal: "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5" }),
    code: "ERR_NOT_CONTRACT",
    field: "proposal",
  },
  {
    name: "a zero treasury transfer",
    action: with_("treasury-transfer", { amount: 0n }),
    code: "ERR_ZERO_AMOUNT",
    field: "amount",
  },
  {
    name: "a treasury transfer above 10^15",
    action: with_("treasury-transfer", { amount: 10n ** 15n + 1n }),
    code: "ERR_TRANSFER_TOO_LARGE",
    field: "amount",
  },
  {
    name: "a descriptor hash of 31 bytes",
    action: with_("vault-set", { descriptorHash: "5a".repeat(31) }),
    code: "ERR_DESCRIPTOR_HASH",
    field: "descriptor-hash",
  },
  {
    name: "a relay key of 77 bytes",
    action: with_("vault-set", { relayKey: "aa".repeat(77) }),
    code: "ERR_BAD_XPUB",
    field: "relay-key",
  },
  {
    name: "an extended private key as co-signer",
    action: with_("vault-set", { cosignerKey: exampleXpub("02").slice(0, 90) + "00" + "02".repeat(32) }),
    code: "ERR_BAD_XPUB",
    field: "cosigner-key",
  },
  {
    name: "a guardian key that is no xpub",
    action: with_("vault-set", { guardianKeys: [exampleXpub("11"), "04".repeat(78)] }),
    code: "ERR_BAD_XPUB",
    field: "guardian-keys[1]",
  },
  {
    name: "no guardian keys",
    action: with_("vault-set", { guardianKeys: [] }),
    code: "ERR_NO_GUARDIANS",
    field: "guardian-keys",
  },
  {
    name: "a guardian listed twice",
    action: with_("vault-set", { guardianKeys: [exampleXpub("11"), exampleXpub("11")] }),
    code: "ERR_DUPLICATE_KEY",
    field: "guardian-keys[1]",
  },
  {
    name: "the relay key as a guardian",
    action: with_("vault-set", { guardianKeys: [exampleXpub("01")], guardianThreshold: 1n }),
    code: "ERR_DUPLICATE_KEY",
    field: "guardian-keys[0]",
  },
  {
    name: "the co-signer key as the last resort",
    action: with_("vault-set", { lastResortKey: exampleXpub("02") }),
    code: "ERR_DUPLICATE_KEY",
    field: "last-resort-key",
  },
  {
    name: "a guardian threshold of 0",
    action: with_("vault-set", { guardianThreshold: 0n }),
    code: "ERR_GUARDIAN_THRESHOLD",
    field: "guardian-threshold",
  },
  {
    name: "a guardian threshold of 4 of 3",
    action: with_("vault-set", { guardianThreshold: 4n }),
    code: "ERR_GUARDIAN_THRESHOLD",
    field: "guardian-threshold",
  },
  {
    name: "recovery-older 143",
    action: with_("vault-set", { recoveryOlder: 143n }),
    code: "ERR_RECOVERY_OLDER",
    field: "recovery-older",
  },
  {
    name: "recovery-older 52561",
    action: with_("vault-set", { recoveryOlder: 52_561n, lastResortOlder: 60_000n }),
    code: "ERR_RECOVERY_OLDER",
    field: "recovery-older",
  },
  {
    name: "last-resort-older equal to recovery-older",
    action: with_("vault-set", { lastResortOlder: 4_320n }),
    code: "ERR_LAST_RESORT_OLDER",
    field: "last-resort-older",
  },
  {
    name: "last-resort-older 65536",
    action: with_("vault-set", { lastResortOlder: 65_536n }),
    code: "ERR_LAST_RESORT_OLDER",
    field: "last-resort-older",
  },
  {
    name: "a vault fee rate of 0",
    action: with_("vault-set", { maxFeeRate: 0n }),
    code: "ERR_VAULT_FEE_RATE",
    field: "max-fee-rate",
  },
  {
    name: "a vault fee rate of 1001",
    action: with_("vault-set", { maxFeeRate: 1_001n }),
    code: "ERR_VAULT_FEE_RATE",
    field: "max-fee-rate",
  },
  {
    name: "a reference price of 0",
    action: with_("lv-pricing", { referenceMsat: 0n }),
    code: "ERR_REFERENCE_PRICE",
    field: "reference-msat",
  },
  {
    name: "a spread of 2001 bps",
    action: with_("lv-pricing", { spreadBps: 2_001n }),
    code: "ERR_SPREAD",
    field: "spread-bps",
  },
  {
    name: "an inbound target of 10001 bps",
    action: with_("lv-pricing", { targetInboundBps: 10_001n }),
    code: "ERR_TARGET_INBOUND",
    field: "target-inbound-bps",
  },
  {
    name: "a premium slope of 10001 bps",
    action: with_("lv-pricing", { premiumSlopeBps: 10_001n }),
    code: "ERR_PREMIUM_SLOPE",
    field: "premium-slope-bps",
  },
  {
    name: "a premium cap of 5001 bps",
    action: with_("lv-pricing", { maxPremiumBps: 5_001n }),
    code: "ERR_MAX_PREMIUM",
    field: "max-premium-bps",
  },
  {
    name: "a quote ttl of 9 s",
    action: with_("lv-pricing", { quoteTtl: 9n }),
    code: "ERR_QUOTE_TTL",
    field: "quote-ttl",
  },
  {
    name: "a quote ttl of 3601 s",
    action: with_("lv-pricing", { quoteTtl: 3_601n }),
    code: "ERR_QUOTE_TTL",
    field: "quote-ttl",
  },
  {
    name: "a trade limit of 0",
    action: with_("lv-pricing", { maxTradeLv: 0n }),
    code: "ERR_TRADE_LIMIT",
    field: "max-trade-lv",
  },
  {
    name: "a period limit below the trade limit",
    action: with_("lv-pricing", { maxPeriodLv: 999_999n }),
    code: "ERR_PERIOD_LIMIT",
    field: "max-period-lv",
  },
  {
    name: "a pricing period of 0 blocks",
    action: with_("lv-pricing", { period: 0n }),
    code: "ERR_PRICING_PERIOD",
    field: "period",
  },
];

/**
 * Payloads the codec refuses by shape where the chain answers with what it finds deployed: a code-hash shorter
 * than 32 bytes fits `(buff 32)`, and action-validator reports it as ERR_CODE_HASH (or ERR_CONTRACT_MISSING)
 * because no contract's hash can equal it. Not for comparing error names with the chain.
 */
export const SHAPE_REJECTIONS: Rejection[] = [
  {
    name: "an empty code-hash",
    action: with_("contract-proposal", { codeHash: "" }),
    code: "ERR_MALFORMED_PAYLOAD",
    field: "code-hash",
  },
  {
    name: "a 31-byte code-hash",
    action: with_("contract-proposal", { codeHash: "ab".repeat(31) }),
    code: "ERR_MALFORMED_PAYLOAD",
    field: "code-hash",
  },
  {
    name: "a 33-byte code-hash",
    action: with_("contract-proposal", { codeHash: "ab".repeat(33) }),
    code: "ERR_MALFORMED_PAYLOAD",
    field: "code-hash",
  },
];
