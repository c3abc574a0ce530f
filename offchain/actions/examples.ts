// One valid action of every kind, for tests, docs and the CLI's --example.
import { codeHash } from "./code-hash.ts";
import type { Action } from "./types.ts";

export const EXAMPLE_PEER = "02" + "11".repeat(32);
export const EXAMPLE_TOWER = "03" + "22".repeat(32);
export const EXAMPLE_TXID = "ab".repeat(32);
/**
 * A 78-byte serialized extended public key (tpub version, depth 0) whose chain code and key are `fill` repeated:
 * the right shape for a vault-set example, not a key anyone holds.
 */
export const exampleXpub = (fill: string): string =>
  "043587cf" + "00" + "00000000" + "00000000" + fill.repeat(32) + "02" + fill.repeat(32);
const WALLET_1 = "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5";
const DEVNET_DEPLOYER = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";

/**
 * The source of the example contract-proposal: a no-op proposal as wallet_1 deploys it under the name
 * `upgrade-1` on devnet or simnet, so the example's code-hash is the hash the chain computes for it.
 */
export const EXAMPLE_PROPOSAL_NAME = "upgrade-1";
export const EXAMPLE_PROPOSAL_SOURCE = `(impl-trait '${DEVNET_DEPLOYER}.proposal-trait.proposal-trait)
(define-public (execute (sender principal)) (ok true))
`;

export const EXAMPLES: Action[] = [
  {
    kind: "channel-open",
    payload: {
      peer: EXAMPLE_PEER,
      host: "127.0.0.1:9735",
      localSats: 1_000_000n,
      pushSats: 10_000n,
      private: false,
      baseFeeMsat: 1000n,
      feePpm: 100n,
      cltvDelta: 40n,
    },
  },
  { kind: "channel-close", payload: { txid: EXAMPLE_TXID, vout: 1, force: false, maxFeeRate: 20n } },
  {
    kind: "fee-policy",
    payload: {
      target: { txid: EXAMPLE_TXID, vout: 0 },
      baseFeeMsat: 1000n,
      feePpm: 200n,
      inboundBaseDiscountMsat: 500n,
      inboundPpmDiscount: 50n,
      cltvDelta: 80n,
    },
  },
  {
    kind: "rebalance-policy",
    payload: {
      minInboundPct: 20n,
      minOutboundPct: 20n,
      maxSwapFeePpm: 5000n,
      budgetSats: 500_000n,
      budgetPeriod: 144n,
      maxInFlight: 2n,
      peers: [EXAMPLE_PEER],
    },
  },
  {
    kind: "loop-out",
    payload: { amountSats: 250_000n, channel: null, dest: "bcrt1qexampleexampleexample0000", maxFeeSats: 5_000n },
  },
  { kind: "loop-in", payload: { amountSats: 250_000n, lastHop: EXAMPLE_PEER, maxFeeSats: 5_000n } },
  { kind: "lv-transfer", payload: { from: "reserve", to: "operations", amount: 1_000n } },
  { kind: "watchtower", payload: { add: true, pubkey: EXAMPLE_TOWER, host: "127.0.0.1:9911" } },
  { kind: "lv-allocation", payload: { infrastructureBps: 2000n, channelBps: 3000n, reserveBps: 5000n } },
  { kind: "relay-set", payload: { relay: WALLET_1, enabled: true } },
  { kind: "setting", payload: { key: "max-fee-ppm", value: 4000n } },
  { kind: "gt-grant", payload: { recipient: WALLET_1, amount: 1_000_000n } },
  { kind: "member-attestor", payload: { attestor: WALLET_1, enabled: true } },
  { kind: "guardian-set", payload: { guardian: WALLET_1, enabled: false } },
  {
    kind: "contract-proposal",
    payload: { proposal: `${WALLET_1}.${EXAMPLE_PROPOSAL_NAME}`, codeHash: codeHash(EXAMPLE_PROPOSAL_SOURCE) },
  },
  { kind: "treasury-transfer", payload: { recipient: WALLET_1, amount: 5_000_000n } },
  {
    kind: "vault-set",
    payload: {
      descriptorHash: "5a".repeat(32),
      relayKey: exampleXpub("01"),
      cosignerKey: exampleXpub("02"),
      guardianKeys: [exampleXpub("11"), exampleXpub("12"), exampleXpub("13")],
      guardianThreshold: 2n,
      recoveryOlder: 4_320n,
      lastResortKey: exampleXpub("21"),
      lastResortOlder: 12_960n,
      maxFeeRate: 50n,
    },
  },
  {
    kind: "lv-pricing",
    payload: {
      referenceMsat: 1_000n,
      spreadBps: 100n,
      targetInboundBps: 5_000n,
      premiumSlopeBps: 20n,
      maxPremiumBps: 500n,
      quoteTtl: 60n,
      maxTradeLv: 1_000_000n,
      maxPeriodLv: 10_000_000n,
      period: 144n,
    },
  },
];
