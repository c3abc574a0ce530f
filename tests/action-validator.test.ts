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
  lvTransfer,
  outpoint,
  rebalancePolicy,
  settingPayload,
  treasuryTransfer,
  watchtower,
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

describe("check-action", () => {
  it.each([
    ["channel-open", channelOpen({ "push-sats": Cl.uint(10_000) }), true, 1_010_000n, 1n],
    ["loop-out", loopOut(), true, 250_000n, 1n],
    ["lv-transfer", lvTransfer(), true, 1_000n, 2n],
    ["fee-policy", feePolicy(), true, 0n, 0n],
    ["gt-grant", gtGrant(w[2], 5n), false, 5n, 3n],
    ["treasury-transfer", treasuryTransfer(w[2], 5n), false, 0n, 0n],
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
