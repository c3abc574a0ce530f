// Valid example payloads for every action kind, as Clarity tuples (offchain/actions is the real codec; the
// round-trip test checks the two agree byte for byte).
import { Cl, type ClarityValue } from "@stacks/transactions";
import { codeHash } from "./chain.ts";

export const PEER = "02" + "11".repeat(32);
export const TOWER = "03" + "22".repeat(32);
export const TXID = "ab".repeat(32);

export const outpoint = (txid = TXID, vout = 1n) => Cl.tuple({ txid: Cl.bufferFromHex(txid), vout: Cl.uint(vout) });

export function channelOpen(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    peer: Cl.bufferFromHex(PEER),
    host: Cl.stringAscii("127.0.0.1:9735"),
    "local-sats": Cl.uint(1_000_000),
    "push-sats": Cl.uint(0),
    private: Cl.bool(false),
    "base-fee-msat": Cl.uint(1000),
    "fee-ppm": Cl.uint(100),
    "cltv-delta": Cl.uint(40),
    ...overrides,
  });
}

export function channelClose(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    txid: Cl.bufferFromHex(TXID),
    vout: Cl.uint(0),
    force: Cl.bool(false),
    "max-fee-rate": Cl.uint(20),
    ...overrides,
  });
}

export function feePolicy(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    target: Cl.none(),
    "base-fee-msat": Cl.uint(1000),
    "fee-ppm": Cl.uint(200),
    "inbound-base-discount-msat": Cl.uint(0),
    "inbound-ppm-discount": Cl.uint(50),
    "cltv-delta": Cl.uint(80),
    ...overrides,
  });
}

export function rebalancePolicy(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    "min-inbound-pct": Cl.uint(20),
    "min-outbound-pct": Cl.uint(20),
    "max-swap-fee-ppm": Cl.uint(5000),
    "budget-sats": Cl.uint(500_000),
    "budget-period": Cl.uint(144),
    "max-in-flight": Cl.uint(2),
    peers: Cl.list([Cl.bufferFromHex(PEER)]),
    ...overrides,
  });
}

export function loopOut(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    "amount-sats": Cl.uint(250_000),
    channel: Cl.none(),
    dest: Cl.stringAscii("bcrt1qexampleexampleexample0000"),
    "max-fee-sats": Cl.uint(5_000),
    ...overrides,
  });
}

export function loopIn(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    "amount-sats": Cl.uint(250_000),
    "last-hop": Cl.none(),
    "max-fee-sats": Cl.uint(5_000),
    ...overrides,
  });
}

export function lvTransfer(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    from: Cl.stringAscii("reserve"),
    to: Cl.stringAscii("operations"),
    amount: Cl.uint(1_000),
    ...overrides,
  });
}

export function watchtower(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    add: Cl.bool(true),
    pubkey: Cl.bufferFromHex(TOWER),
    host: Cl.stringAscii("127.0.0.1:9911"),
    ...overrides,
  });
}

export const lvAllocation = (infrastructure = 2000n, channel = 3000n, reserve = 5000n) =>
  Cl.tuple({
    "infrastructure-bps": Cl.uint(infrastructure),
    "channel-bps": Cl.uint(channel),
    "reserve-bps": Cl.uint(reserve),
  });
export const relaySet = (relay: string, enabled = true) =>
  Cl.tuple({ relay: Cl.principal(relay), enabled: Cl.bool(enabled) });
export const settingPayload = (key: string, value: bigint) =>
  Cl.tuple({ key: Cl.stringAscii(key), value: Cl.uint(value) });
export const gtGrant = (recipient: string, amount: bigint) =>
  Cl.tuple({ recipient: Cl.principal(recipient), amount: Cl.uint(amount) });
export const memberAttestor = (attestor: string, enabled = true) =>
  Cl.tuple({ attestor: Cl.principal(attestor), enabled: Cl.bool(enabled) });
export const guardianSet = (guardian: string, enabled = true) =>
  Cl.tuple({ guardian: Cl.principal(guardian), enabled: Cl.bool(enabled) });
/** A contract-proposal pinning the deployed code of `proposal` (or the hash given). */
export const contractProposal = (proposal: string, hash: string = codeHash(proposal)) =>
  Cl.tuple({ proposal: Cl.principal(proposal), "code-hash": Cl.bufferFromHex(hash) });
export const treasuryTransfer = (recipient: string, amount: bigint) =>
  Cl.tuple({ recipient: Cl.principal(recipient), amount: Cl.uint(amount) });

/**
 * A serialized extended public key (78 bytes, tpub version): `fill` makes its chain code and key distinct; the
 * key data at byte 45 starts 0x02 (`prefix` "00" makes it look like an extended private key).
 */
export const xpub = (fill: string, prefix = "02") =>
  Cl.bufferFromHex(`043587cf` + `00` + `00000000` + `00000000` + fill.repeat(32) + prefix + fill.repeat(32));

export function vaultSet(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    "descriptor-hash": Cl.bufferFromHex("5a".repeat(32)),
    "relay-key": xpub("01"),
    "cosigner-key": xpub("02"),
    "guardian-keys": Cl.list([xpub("11"), xpub("12"), xpub("13")]),
    "guardian-threshold": Cl.uint(2),
    "recovery-older": Cl.uint(4_320),
    "last-resort-key": xpub("21"),
    "last-resort-older": Cl.uint(12_960),
    "max-fee-rate": Cl.uint(50),
    ...overrides,
  });
}

export function lvPricing(overrides: Record<string, ClarityValue> = {}): ClarityValue {
  return Cl.tuple({
    "reference-msat": Cl.uint(1_000),
    "spread-bps": Cl.uint(100),
    "target-inbound-bps": Cl.uint(5_000),
    "premium-slope-bps": Cl.uint(20),
    "max-premium-bps": Cl.uint(500),
    "quote-ttl": Cl.uint(60),
    "max-trade-lv": Cl.uint(1_000_000),
    "max-period-lv": Cl.uint(10_000_000),
    period: Cl.uint(144),
    ...overrides,
  });
}

/** One valid payload per kind; `deployed` is a deployed contract for the contract-proposal. */
export function examplePayloads(someone: string, deployed: string): Record<string, ClarityValue> {
  return {
    "channel-open": channelOpen(),
    "channel-close": channelClose(),
    "fee-policy": feePolicy(),
    "rebalance-policy": rebalancePolicy(),
    "loop-out": loopOut(),
    "loop-in": loopIn(),
    "lv-transfer": lvTransfer(),
    watchtower: watchtower(),
    "lv-allocation": lvAllocation(),
    "relay-set": relaySet(someone),
    setting: settingPayload("max-fee-ppm", 4000n),
    "gt-grant": gtGrant(someone, 1_000_000n),
    "member-attestor": memberAttestor(someone),
    "guardian-set": guardianSet(someone),
    "contract-proposal": contractProposal(deployed),
    "treasury-transfer": treasuryTransfer(someone, 1_000_000n),
    "vault-set": vaultSet(),
    "lv-pricing": lvPricing(),
  };
}
