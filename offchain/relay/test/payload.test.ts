// Payloads through the shared codec: every relay kind's JSON form encodes to the tuple the contract validates and
// decodes to the relay's typed action; malformed payloads are failure 400 with the contract's error name; settings
// bounds are applied at their widest; the CLI's encode and decode agree.
import { Cl, serializeCV } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { PermanentFailure } from "../failure.ts";
import { decodeRelayAction } from "../payload.ts";
import { actionFromJson, actionToJson, decodeAction, encodeAction } from "../../actions/index.ts";

const encodePayload = (kind: string, form: unknown): Uint8Array => encodeAction(actionFromJson(kind, form));
const decodePayload = (kind: string, payload: Uint8Array) => actionToJson(decodeAction(kind, payload));
import { PEER } from "./harness.ts";

const TXID = "ab".repeat(32);
const examples: [string, Record<string, unknown>][] = [
  ["channel-open", { peer: PEER, host: "node.example:9735", "local-sats": 1_000_000, "push-sats": 0, private: false, "base-fee-msat": 1000, "fee-ppm": 100, "cltv-delta": 40 }],
  ["channel-close", { txid: TXID, vout: 1, force: false, "max-fee-rate": 20 }],
  ["fee-policy", { target: { txid: TXID, vout: 0 }, "base-fee-msat": 0, "fee-ppm": 50, "inbound-base-discount-msat": 10, "inbound-ppm-discount": 5, "cltv-delta": 80 }],
  ["fee-policy", { target: null, "base-fee-msat": 0, "fee-ppm": 50, "inbound-base-discount-msat": 0, "inbound-ppm-discount": 0, "cltv-delta": 80 }],
  ["rebalance-policy", { "min-inbound-pct": 20, "min-outbound-pct": 20, "max-swap-fee-ppm": 5000, "budget-sats": 1_000_000, "budget-period": 144, "max-in-flight": 2, peers: [PEER] }],
  ["loop-out", { "amount-sats": 250_000, channel: null, dest: "bcrt1qexampleexampleexample", "max-fee-sats": 2_000 }],
  ["loop-in", { "amount-sats": 250_000, "last-hop": PEER, "max-fee-sats": 2_000 }],
  ["lv-transfer", { from: "reserve", to: "operations", amount: 500 }],
  ["watchtower", { add: true, pubkey: PEER, host: "tower.example:9911" }],
];

describe("payload JSON form", () => {
  it.each(examples)("%s round-trips and decodes to a relay action", (kind, form) => {
    const payload = encodePayload(kind, form);
    expect(decodePayload(kind, payload)).toEqual(form);
    expect(decodeRelayAction(kind, payload).kind).toBe(kind);
  });

  it("matches the tuple a wallet would build by hand, byte for byte", () => {
    const byHand = serializeCV(Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.uint(500) }));
    expect(Buffer.from(encodePayload("lv-transfer", { from: "reserve", to: "operations", amount: 500 })).toString("hex")).toBe(byHand);
  });

  const wrong = (kind: string, payload: Uint8Array | string) => {
    try {
      decodeRelayAction(kind, typeof payload === "string" ? Buffer.from(payload, "hex") : payload);
    } catch (error) {
      return error instanceof PermanentFailure ? `${error.code} ${error.reason}` : String(error);
    }
    return "accepted";
  };

  it.each([
    ["not a Clarity value", "loop-in", "ff00", /^400 ERR_MALFORMED_PAYLOAD/],
    ["not a tuple", "loop-in", serializeCV(Cl.uint(5)), /^400 ERR_MALFORMED_PAYLOAD/],
    ["a missing field", "lv-transfer", serializeCV(Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations") })), /^400 ERR_MALFORMED_PAYLOAD/],
    ["a field of the wrong type", "lv-transfer", serializeCV(Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.int(5) })), /^400 ERR_MALFORMED_PAYLOAD/],
    ["an unknown wallet", "lv-transfer", serializeCV(Cl.tuple({ from: Cl.stringAscii("treasury"), to: Cl.stringAscii("operations"), amount: Cl.uint(5) })), /^400 ERR_BAD_WALLET \(from\)/],
    ["the same wallet twice", "lv-transfer", serializeCV(Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("reserve"), amount: Cl.uint(5) })), /^400 ERR_SAME_WALLET/],
    ["a peer that is not a compressed key", "watchtower", serializeCV(Cl.tuple({ add: Cl.bool(true), pubkey: Cl.buffer(Buffer.alloc(33, 4)), host: Cl.stringAscii("h:1") })), /^400 ERR_BAD_PUBKEY/],
    ["a chain kind", "setting", serializeCV(Cl.tuple({ key: Cl.stringAscii("x"), value: Cl.uint(1) })), /^400 setting is not executed by the relay/],
    ["push above local", "channel-open", Buffer.from(encodePayload("channel-open", { ...examples[0]![1], "push-sats": 2_000_000 })).toString("hex"), /^400 ERR_PUSH_EXCEEDS_LOCAL/],
  ])("rejects %s with failure 400", (_name, kind, hex, reason) => {
    expect(wrong(kind, hex)).toMatch(reason);
  });

  it("applies the settings bounds at their widest: a channel above today's default max is still accepted", () => {
    const big = encodePayload("channel-open", { ...examples[0]![1], "local-sats": 50_000_000 });
    expect(decodeRelayAction("channel-open", big)).toMatchObject({ localSats: 50_000_000n });
  });
});

describe("lvdao action encode / decode", () => {
  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("encodes and decodes back", async () => {
    const form = examples[2]![1];
    const encoded = await run("action", "encode", "fee-policy", JSON.stringify(form));
    expect(encoded.code).toBe(0);
    expect(encoded.out).toMatch(/^0x[0-9a-f]+$/);
    const decoded = await run("action", "decode", "fee-policy", encoded.out);
    expect(JSON.parse(decoded.out)).toEqual(form);
  });

  it("reports an invalid action with exit 65 and the reason", async () => {
    const result = await run("action", "encode", "loop-in", '{"amount-sats": 5}');
    expect(result.code).toBe(65);
    expect(result.err).toBe("lvdao: invalid action: ERR_MALFORMED_PAYLOAD (last-hop): is missing");
  });
});
