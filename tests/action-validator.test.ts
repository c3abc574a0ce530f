import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Cl, type ClarityValue } from "@stacks/transactions";
import { bytesOf, contract, deployer, err, read, w } from "./helpers/chain.ts";
import {
  PEER,
  channelClose,
  channelOpen,
  contractProposal,
  examplePayloads,
  feePolicy,
  gtGrant,
  loopIn,
  loopOut,
  lvAllocation,
  lvPricing,
  lvTransfer,
  outpoint,
  rebalancePolicy,
  settingPayload,
  treasuryTransfer,
  vaultSet,
  watchtower,
  xpub,
} from "./helpers/payloads.ts";
import type { ERRORS } from "../offchain/clarity/errors.ts";

type ValidatorError = keyof (typeof ERRORS)["action-validator"];
const validate = (kind: string, payload: ClarityValue) =>
  read("action-validator", "validate", [Cl.stringAscii(kind), bytesOf(payload)]);
const validateBytes = (kind: string, hex: string) =>
  read("action-validator", "validate", [Cl.stringAscii(kind), Cl.bufferFromHex(hex)]);

describe("validate", () => {
  it.each(Object.entries(examplePayloads(w[1], contract("lvdao-bootstrap"))))("accepts a valid %s", (kind, payload) => {
    expect(validate(kind, payload)).toBeOk(Cl.bool(true));
  });

  const rejections: [string, string, ClarityValue, ValidatorError][] = [
    [
      "peer of 32 bytes",
      "channel-open",
      channelOpen({ peer: Cl.bufferFromHex("02" + "11".repeat(31)) }),
      "ERR_BAD_PUBKEY",
    ],
    [
      "peer starting 0x04",
      "channel-open",
      channelOpen({ peer: Cl.bufferFromHex("04" + "11".repeat(32)) }),
      "ERR_BAD_PUBKEY",
    ],
    ["empty host", "channel-open", channelOpen({ host: Cl.stringAscii("") }), "ERR_BAD_HOST"],
    [
      "channel below min-channel-sats",
      "channel-open",
      channelOpen({ "local-sats": Cl.uint(19_999) }),
      "ERR_CHANNEL_SIZE",
    ],
    [
      "channel above max-channel-sats",
      "channel-open",
      channelOpen({ "local-sats": Cl.uint(16_777_216) }),
      "ERR_CHANNEL_SIZE",
    ],
    ["push above local", "channel-open", channelOpen({ "push-sats": Cl.uint(1_000_001) }), "ERR_PUSH_EXCEEDS_LOCAL"],
    [
      "base fee above 10^9 msat",
      "channel-open",
      channelOpen({ "base-fee-msat": Cl.uint(1_000_000_001) }),
      "ERR_BASE_FEE",
    ],
    ["fee-ppm above max-fee-ppm", "channel-open", channelOpen({ "fee-ppm": Cl.uint(5001) }), "ERR_FEE_PPM"],
    ["cltv-delta 17", "channel-open", channelOpen({ "cltv-delta": Cl.uint(17) }), "ERR_CLTV_DELTA"],
    ["cltv-delta 2017", "fee-policy", feePolicy({ "cltv-delta": Cl.uint(2017) }), "ERR_CLTV_DELTA"],
    [
      "inbound base discount above int32",
      "fee-policy",
      feePolicy({ "inbound-base-discount-msat": Cl.uint(2_147_483_648) }),
      "ERR_INBOUND_DISCOUNT",
    ],
    [
      "inbound ppm discount above 10^6",
      "fee-policy",
      feePolicy({ "inbound-ppm-discount": Cl.uint(1_000_001) }),
      "ERR_INBOUND_DISCOUNT",
    ],
    [
      "target txid of 31 bytes",
      "fee-policy",
      feePolicy({ target: Cl.some(outpoint("ab".repeat(31))) }),
      "ERR_BAD_OUTPOINT",
    ],
    ["vout of 2^32", "channel-close", channelClose({ vout: Cl.uint(2n ** 32n) }), "ERR_BAD_OUTPOINT"],
    ["max-fee-rate 0", "channel-close", channelClose({ "max-fee-rate": Cl.uint(0) }), "ERR_FEE_RATE"],
    ["max-fee-rate 10001", "channel-close", channelClose({ "max-fee-rate": Cl.uint(10_001) }), "ERR_FEE_RATE"],
    [
      "pct above 100",
      "rebalance-policy",
      rebalancePolicy({ "min-inbound-pct": Cl.uint(101), "min-outbound-pct": Cl.uint(0) }),
      "ERR_PCT",
    ],
    [
      "pcts summing above 100",
      "rebalance-policy",
      rebalancePolicy({ "min-inbound-pct": Cl.uint(60), "min-outbound-pct": Cl.uint(50) }),
      "ERR_PCT",
    ],
    [
      "swap fee above 10%",
      "rebalance-policy",
      rebalancePolicy({ "max-swap-fee-ppm": Cl.uint(100_001) }),
      "ERR_FEE_PPM",
    ],
    ["zero budget", "rebalance-policy", rebalancePolicy({ "budget-sats": Cl.uint(0) }), "ERR_ZERO_AMOUNT"],
    ["budget period 0", "rebalance-policy", rebalancePolicy({ "budget-period": Cl.uint(0) }), "ERR_BUDGET_PERIOD"],
    ["in-flight 17", "rebalance-policy", rebalancePolicy({ "max-in-flight": Cl.uint(17) }), "ERR_IN_FLIGHT"],
    [
      "a bad peer",
      "rebalance-policy",
      rebalancePolicy({ peers: Cl.list([Cl.bufferFromHex("05" + "11".repeat(32))]) }),
      "ERR_BAD_PUBKEY",
    ],
    [
      "a duplicate peer",
      "rebalance-policy",
      rebalancePolicy({ peers: Cl.list([Cl.bufferFromHex(PEER), Cl.bufferFromHex(PEER)]) }),
      "ERR_DUPLICATE_PEER",
    ],
    ["loop of 0 sats", "loop-out", loopOut({ "amount-sats": Cl.uint(0) }), "ERR_ZERO_AMOUNT"],
    [
      "loop above max-loop-sats",
      "loop-in",
      loopIn({ "amount-sats": Cl.uint(10_000_001), "max-fee-sats": Cl.uint(1) }),
      "ERR_LOOP_AMOUNT",
    ],
    ["loop fee above amount", "loop-in", loopIn({ "max-fee-sats": Cl.uint(250_001) }), "ERR_LOOP_FEE"],
    ["short destination", "loop-out", loopOut({ dest: Cl.stringAscii("bcrt1qshort") }), "ERR_BAD_DEST"],
    ["bad loop channel", "loop-out", loopOut({ channel: Cl.some(outpoint("ab", 0n)) }), "ERR_BAD_OUTPOINT"],
    ["bad last hop", "loop-in", loopIn({ "last-hop": Cl.some(Cl.bufferFromHex("02")) }), "ERR_BAD_PUBKEY"],
    ["unknown wallet", "lv-transfer", lvTransfer({ to: Cl.stringAscii("treasury") }), "ERR_BAD_WALLET"],
    ["same wallets", "lv-transfer", lvTransfer({ to: Cl.stringAscii("reserve") }), "ERR_SAME_WALLET"],
    ["zero LV", "lv-transfer", lvTransfer({ amount: Cl.uint(0) }), "ERR_ZERO_AMOUNT"],
    ["bad tower key", "watchtower", watchtower({ pubkey: Cl.bufferFromHex("00".repeat(33)) }), "ERR_BAD_PUBKEY"],
    ["tower added without host", "watchtower", watchtower({ host: Cl.stringAscii("") }), "ERR_BAD_HOST"],
    ["bps summing to 9999", "lv-allocation", lvAllocation(2000n, 3000n, 4999n), "ERR_BPS_SUM"],
    ["unknown setting key", "setting", settingPayload("no-such-key", 1n), "ERR_UNKNOWN_KEY"],
    ["setting out of bounds", "setting", settingPayload("max-fee-ppm", 1_000_001n), "ERR_SETTING_BOUNDS"],
    ["zero grant", "gt-grant", gtGrant(w[1], 0n), "ERR_ZERO_AMOUNT"],
    ["grant above 10^15", "gt-grant", gtGrant(w[1], 10n ** 15n + 1n), "ERR_GRANT_TOO_LARGE"],
    [
      "standard principal as contract",
      "contract-proposal",
      contractProposal(w[1], "00".repeat(32)),
      "ERR_NOT_CONTRACT",
    ],
    [
      "a contract that is not deployed",
      "contract-proposal",
      contractProposal(contract("not-deployed-yet"), "00".repeat(32)),
      "ERR_CONTRACT_MISSING",
    ],
    [
      "another contract's code hash",
      "contract-proposal",
      contractProposal(contract("lvdao-bootstrap"), "ab".repeat(32)),
      "ERR_CODE_HASH",
    ],
    [
      "a code hash of 31 bytes",
      "contract-proposal",
      contractProposal(contract("lvdao-bootstrap"), "ab".repeat(31)),
      "ERR_CODE_HASH",
    ],
    ["zero treasury transfer", "treasury-transfer", treasuryTransfer(w[1], 0n), "ERR_ZERO_AMOUNT"],
    [
      "treasury transfer above 10^15",
      "treasury-transfer",
      treasuryTransfer(w[1], 10n ** 15n + 1n),
      "ERR_TRANSFER_TOO_LARGE",
    ],
    [
      "a descriptor hash of 31 bytes",
      "vault-set",
      vaultSet({ "descriptor-hash": Cl.bufferFromHex("5a".repeat(31)) }),
      "ERR_DESCRIPTOR_HASH",
    ],
    [
      "a relay key of 77 bytes",
      "vault-set",
      vaultSet({ "relay-key": Cl.bufferFromHex("aa".repeat(77)) }),
      "ERR_BAD_XPUB",
    ],
    [
      "an extended private key as co-signer",
      "vault-set",
      vaultSet({ "cosigner-key": xpub("02", "00") }),
      "ERR_BAD_XPUB",
    ],
    [
      "a guardian key that is no xpub",
      "vault-set",
      vaultSet({ "guardian-keys": Cl.list([xpub("11"), xpub("12", "04")]) }),
      "ERR_BAD_XPUB",
    ],
    [
      "no guardian keys",
      "vault-set",
      vaultSet({ "guardian-keys": Cl.list([]), "guardian-threshold": Cl.uint(0) }),
      "ERR_NO_GUARDIANS",
    ],
    [
      "a guardian listed twice",
      "vault-set",
      vaultSet({ "guardian-keys": Cl.list([xpub("11"), xpub("11")]) }),
      "ERR_DUPLICATE_KEY",
    ],
    [
      "the relay key as a guardian",
      "vault-set",
      vaultSet({ "guardian-keys": Cl.list([xpub("11"), xpub("01")]) }),
      "ERR_DUPLICATE_KEY",
    ],
    [
      "the co-signer key as the last resort",
      "vault-set",
      vaultSet({ "last-resort-key": xpub("02") }),
      "ERR_DUPLICATE_KEY",
    ],
    ["guardian threshold 0", "vault-set", vaultSet({ "guardian-threshold": Cl.uint(0) }), "ERR_GUARDIAN_THRESHOLD"],
    [
      "guardian threshold 4 of 3",
      "vault-set",
      vaultSet({ "guardian-threshold": Cl.uint(4) }),
      "ERR_GUARDIAN_THRESHOLD",
    ],
    ["recovery-older 143", "vault-set", vaultSet({ "recovery-older": Cl.uint(143) }), "ERR_RECOVERY_OLDER"],
    [
      "recovery-older 52561",
      "vault-set",
      vaultSet({ "recovery-older": Cl.uint(52_561), "last-resort-older": Cl.uint(60_000) }),
      "ERR_RECOVERY_OLDER",
    ],
    [
      "last-resort-older equal to recovery-older",
      "vault-set",
      vaultSet({ "last-resort-older": Cl.uint(4_320) }),
      "ERR_LAST_RESORT_OLDER",
    ],
    [
      "last-resort-older 65536",
      "vault-set",
      vaultSet({ "last-resort-older": Cl.uint(65_536) }),
      "ERR_LAST_RESORT_OLDER",
    ],
    ["vault fee rate 0", "vault-set", vaultSet({ "max-fee-rate": Cl.uint(0) }), "ERR_VAULT_FEE_RATE"],
    ["vault fee rate 1001", "vault-set", vaultSet({ "max-fee-rate": Cl.uint(1_001) }), "ERR_VAULT_FEE_RATE"],
    [
      "8 guardian keys",
      "vault-set",
      vaultSet({ "guardian-keys": Cl.list(["31", "32", "33", "34", "35", "36", "37", "38"].map((f) => xpub(f))) }),
      "ERR_MALFORMED_PAYLOAD",
    ],
    ["reference price 0", "lv-pricing", lvPricing({ "reference-msat": Cl.uint(0) }), "ERR_REFERENCE_PRICE"],
    ["spread 2001 bps", "lv-pricing", lvPricing({ "spread-bps": Cl.uint(2_001) }), "ERR_SPREAD"],
    [
      "inbound target 10001 bps",
      "lv-pricing",
      lvPricing({ "target-inbound-bps": Cl.uint(10_001) }),
      "ERR_TARGET_INBOUND",
    ],
    ["premium slope 10001 bps", "lv-pricing", lvPricing({ "premium-slope-bps": Cl.uint(10_001) }), "ERR_PREMIUM_SLOPE"],
    ["premium cap 5001 bps", "lv-pricing", lvPricing({ "max-premium-bps": Cl.uint(5_001) }), "ERR_MAX_PREMIUM"],
    ["quote ttl 9 s", "lv-pricing", lvPricing({ "quote-ttl": Cl.uint(9) }), "ERR_QUOTE_TTL"],
    ["quote ttl 3601 s", "lv-pricing", lvPricing({ "quote-ttl": Cl.uint(3_601) }), "ERR_QUOTE_TTL"],
    ["trade limit 0", "lv-pricing", lvPricing({ "max-trade-lv": Cl.uint(0) }), "ERR_TRADE_LIMIT"],
    [
      "period limit below trade limit",
      "lv-pricing",
      lvPricing({ "max-period-lv": Cl.uint(999_999) }),
      "ERR_PERIOD_LIMIT",
    ],
    ["pricing period 0", "lv-pricing", lvPricing({ period: Cl.uint(0) }), "ERR_PRICING_PERIOD"],
    [
      "a tuple with an extra field",
      "loop-in",
      Cl.tuple({ "amount-sats": Cl.uint(1), "last-hop": Cl.none(), "max-fee-sats": Cl.uint(1), x: Cl.uint(1) }),
      "ERR_MALFORMED_PAYLOAD",
    ],
    [
      "a tuple missing a field",
      "lv-allocation",
      Cl.tuple({ "infrastructure-bps": Cl.uint(10000), "channel-bps": Cl.uint(0) }),
      "ERR_MALFORMED_PAYLOAD",
    ],
    [
      "a wrong field type",
      "relay-set",
      Cl.tuple({ relay: Cl.uint(1), enabled: Cl.bool(true) }),
      "ERR_MALFORMED_PAYLOAD",
    ],
    [
      "a string too long for its type",
      "watchtower",
      watchtower({ host: Cl.stringAscii("h".repeat(65)) }),
      "ERR_MALFORMED_PAYLOAD",
    ],
  ];

  it.each(rejections)("rejects %s (%s) with %s", (_, kind, payload, name) => {
    expect(validate(kind, payload)).toEqual(err("action-validator", name));
  });

  it.each(["member-attestor", "guardian-set"])("rejects a %s payload of the wrong shape", (kind) => {
    expect(validate(kind, Cl.tuple({ who: Cl.principal(w[1]), enabled: Cl.bool(true) }))).toEqual(
      err("action-validator", "ERR_MALFORMED_PAYLOAD"),
    );
  });

  it("rejects an unknown kind with ERR_UNKNOWN_KIND", () => {
    expect(validate("open-channel", channelOpen())).toEqual(err("action-validator", "ERR_UNKNOWN_KIND"));
  });

  it("rejects trailing bytes and empty payloads with ERR_MALFORMED_PAYLOAD", () => {
    const valid = bytesOf(lvAllocation());
    const hex = valid.type === "buffer" ? valid.value : "";
    expect(validateBytes("lv-allocation", hex + "00")).toEqual(err("action-validator", "ERR_MALFORMED_PAYLOAD"));
    expect(validateBytes("lv-allocation", "")).toEqual(err("action-validator", "ERR_MALFORMED_PAYLOAD"));
  });

  it("never accepts random bytes for any kind, and never panics (property)", () => {
    const kinds = Object.keys(examplePayloads(w[1], contract("lvdao-bootstrap")));
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.uint8Array({ maxLength: 64 }), (kind, bytes) => {
        const result = validateBytes(kind, Buffer.from(bytes).toString("hex"));
        expect(result).toEqual(err("action-validator", "ERR_MALFORMED_PAYLOAD"));
      }),
      { numRuns: 200 },
    );
  });
});

describe("vault-set and lv-pricing bounds", () => {
  it.each([
    [
      "one guardian, threshold 1",
      vaultSet({ "guardian-keys": Cl.list([xpub("11")]), "guardian-threshold": Cl.uint(1) }),
    ],
    [
      "seven guardians, threshold 7",
      vaultSet({
        "guardian-keys": Cl.list(["31", "32", "33", "34", "35", "36", "37"].map((f) => xpub(f))),
        "guardian-threshold": Cl.uint(7),
      }),
    ],
    ["the tightest timelocks", vaultSet({ "recovery-older": Cl.uint(144), "last-resort-older": Cl.uint(145) })],
    ["the loosest timelocks", vaultSet({ "recovery-older": Cl.uint(52_560), "last-resort-older": Cl.uint(65_535) })],
    ["fee rate 1, a key starting 03", vaultSet({ "max-fee-rate": Cl.uint(1), "relay-key": xpub("01", "03") })],
    ["fee rate 1000", vaultSet({ "max-fee-rate": Cl.uint(1_000) })],
  ])("accepts a vault-set at its edges: %s", (_, payload) => {
    expect(validate("vault-set", payload)).toBeOk(Cl.bool(true));
  });

  it.each([
    [
      "zero spread, slope and premium",
      lvPricing({
        "spread-bps": Cl.uint(0),
        "premium-slope-bps": Cl.uint(0),
        "max-premium-bps": Cl.uint(0),
        "target-inbound-bps": Cl.uint(0),
      }),
    ],
    [
      "the largest bounds",
      lvPricing({
        "spread-bps": Cl.uint(2_000),
        "target-inbound-bps": Cl.uint(10_000),
        "premium-slope-bps": Cl.uint(10_000),
        "max-premium-bps": Cl.uint(5_000),
        "quote-ttl": Cl.uint(3_600),
      }),
    ],
    [
      "one-block periods, ttl 10 s, period limit = trade limit",
      lvPricing({
        period: Cl.uint(1),
        "quote-ttl": Cl.uint(10),
        "max-period-lv": Cl.uint(1_000_000),
        "reference-msat": Cl.uint(1),
      }),
    ],
  ])("accepts an lv-pricing at its edges: %s", (_, payload) => {
    expect(validate("lv-pricing", payload)).toBeOk(Cl.bool(true));
  });
});

describe("check-action", () => {
  it.each([
    ["channel-open", channelOpen({ "push-sats": Cl.uint(10_000) }), true, 1_010_000n, 1n],
    ["loop-out", loopOut(), true, 250_000n, 1n],
    ["lv-transfer", lvTransfer(), true, 1_000n, 2n],
    ["fee-policy", feePolicy(), true, 0n, 0n],
    ["gt-grant", gtGrant(w[2], 5n), false, 5n, 3n],
    ["treasury-transfer", treasuryTransfer(w[2], 5n), false, 0n, 0n],
    ["vault-set", vaultSet(), false, 0n, 0n],
    ["lv-pricing", lvPricing(), false, 0n, 0n],
  ] as const)("describes %s: off-chain, requested amount and pool", (kind, payload, offchain, requested, pool) => {
    expect(read("action-validator", "check-action", [Cl.stringAscii(kind), bytesOf(payload)])).toBeOk(
      Cl.tuple({
        offchain: Cl.bool(offchain),
        requested: Cl.uint(requested),
        pool: Cl.uint(pool),
        beneficiary: kind === "gt-grant" ? Cl.some(Cl.principal(w[2])) : Cl.none(),
      }),
    );
  });
});

describe("check-contract-proposal", () => {
  it("pins the deployed code: a contract deployed after the hash was taken is refused with ERR_CODE_HASH", () => {
    const name = "pinned-later";
    const voted = "(define-read-only (noop) true)";
    const shown = contractProposal(`${deployer}.${name}`, "00".repeat(32));
    expect(validate("contract-proposal", shown)).toEqual(err("action-validator", "ERR_CONTRACT_MISSING"));
    simnet.deployContract(name, `${voted} ;; changed`, { clarityVersion: 4 }, deployer);
    // the hash of the code voters were shown is not the hash of what is deployed
    const shownHash = createHash("sha512-256").update(voted).digest("hex");
    expect(validate("contract-proposal", contractProposal(`${deployer}.${name}`, shownHash))).toEqual(
      err("action-validator", "ERR_CODE_HASH"),
    );
    expect(validate("contract-proposal", contractProposal(`${deployer}.${name}`))).toBeOk(Cl.bool(true));
  });
});
