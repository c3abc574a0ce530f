// Payloads through the shared codec: every relay kind's JSON form encodes to the tuple the contract validates and
// decodes to the relay's typed action; malformed payloads are failure 400 with the contract's error name; settings
// bounds are applied at their widest; the CLI's encode and decode agree.
import { Cl, serializeCV } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import { PermanentFailure } from "../failure.ts";
import { decodeRelayAction } from "../actions.ts";
import { actionFromJson, actionToJson, decodeAction, encodeAction } from "../../actions/index.ts";

const encodePayload = (kind: string, form: unknown): Uint8Array => encodeAction(actionFromJson(kind, form));
const decodePayload = (kind: string, payload: Uint8Array) => actionToJson(decodeAction(kind, payload));
import { EXAMPLES } from "../../actions/examples.ts";
import { PEER } from "./harness.ts";

const TXID = "ab".repeat(32);
const vaultJson = actionToJson(EXAMPLES.find((a) => a.kind === "vault-set")!) as Record<string, unknown>;
const pricingJson = actionToJson(EXAMPLES.find((a) => a.kind === "lv-pricing")!) as Record<string, unknown>;
const examples: [string, Record<string, unknown>][] = [
  [
    "channel-open",
    {
      peer: PEER,
      host: "node.example:9735",
      "local-sats": 1_000_000,
      "push-sats": 0,
      private: false,
      "base-fee-msat": 1000,
      "fee-ppm": 100,
      "cltv-delta": 40,
    },
  ],
  ["channel-close", { txid: TXID, vout: 1, force: false, "max-fee-rate": 20 }],
  [
    "fee-policy",
    {
      target: { txid: TXID, vout: 0 },
      "base-fee-msat": 0,
      "fee-ppm": 50,
      "inbound-base-discount-msat": 10,
      "inbound-ppm-discount": 5,
      "cltv-delta": 80,
    },
  ],
  [
    "fee-policy",
    {
      target: null,
      "base-fee-msat": 0,
      "fee-ppm": 50,
      "inbound-base-discount-msat": 0,
      "inbound-ppm-discount": 0,
      "cltv-delta": 80,
    },
  ],
  [
    "rebalance-policy",
    {
      "min-inbound-pct": 20,
      "min-outbound-pct": 20,
      "max-swap-fee-ppm": 5000,
      "budget-sats": 1_000_000,
      "budget-period": 144,
      "max-in-flight": 2,
      peers: [PEER],
    },
  ],
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
    const byHand = serializeCV(
      Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.uint(500) }),
    );
    expect(
      Buffer.from(encodePayload("lv-transfer", { from: "reserve", to: "operations", amount: 500 })).toString("hex"),
    ).toBe(byHand);
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
    [
      "a missing field",
      "lv-transfer",
      serializeCV(Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations") })),
      /^400 ERR_MALFORMED_PAYLOAD/,
    ],
    [
      "a field of the wrong type",
      "lv-transfer",
      serializeCV(Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.int(5) })),
      /^400 ERR_MALFORMED_PAYLOAD/,
    ],
    [
      "an unknown wallet",
      "lv-transfer",
      serializeCV(Cl.tuple({ from: Cl.stringAscii("treasury"), to: Cl.stringAscii("operations"), amount: Cl.uint(5) })),
      /^400 ERR_BAD_WALLET \(from\)/,
    ],
    [
      "the same wallet twice",
      "lv-transfer",
      serializeCV(Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("reserve"), amount: Cl.uint(5) })),
      /^400 ERR_SAME_WALLET/,
    ],
    [
      "a peer that is not a compressed key",
      "watchtower",
      serializeCV(
        Cl.tuple({ add: Cl.bool(true), pubkey: Cl.buffer(Buffer.alloc(33, 4)), host: Cl.stringAscii("h:1") }),
      ),
      /^400 ERR_BAD_PUBKEY/,
    ],
    [
      "a chain kind",
      "setting",
      serializeCV(Cl.tuple({ key: Cl.stringAscii("x"), value: Cl.uint(1) })),
      /^400 setting is not executed by the relay/,
    ],
    [
      "a treasury transfer (a chain kind)",
      "treasury-transfer",
      serializeCV(
        Cl.tuple({ recipient: Cl.principal("ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5"), amount: Cl.uint(5) }),
      ),
      /^400 treasury-transfer is not executed by the relay/,
    ],
    [
      "push above local",
      "channel-open",
      Buffer.from(encodePayload("channel-open", { ...examples[0]![1], "push-sats": 2_000_000 })).toString("hex"),
      /^400 ERR_PUSH_EXCEEDS_LOCAL/,
    ],
  ])("rejects %s with failure 400", (_name, kind, hex, reason) => {
    expect(wrong(kind, hex)).toMatch(reason);
  });

  it("applies the settings bounds at their widest: a channel above today's default max is still accepted", () => {
    const big = encodePayload("channel-open", { ...examples[0]![1], "local-sats": 50_000_000 });
    expect(decodeRelayAction("channel-open", big)).toMatchObject({ payload: { localSats: 50_000_000n } });
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

  it.each([
    ["treasury-transfer", { recipient: "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5", amount: 5_000_000 }],
    [
      "contract-proposal",
      { proposal: "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5.upgrade-1", "code-hash": "c0de".repeat(16) },
    ],
    ["vault-set", actionToJson(EXAMPLES.find((a) => a.kind === "vault-set")!)],
    ["lv-pricing", actionToJson(EXAMPLES.find((a) => a.kind === "lv-pricing")!)],
  ])("encodes and decodes a %s back", async (kind, form) => {
    const encoded = await run("action", "encode", kind, JSON.stringify(form));
    expect([encoded.code, encoded.err]).toEqual([0, ""]);
    const decoded = await run("action", "decode", kind, encoded.out);
    expect(decoded.code).toBe(0);
    const [jsonText, ...rest] = decoded.out.split(/\n(?=code-hash )/);
    expect(JSON.parse(jsonText!)).toEqual(form);
    expect(rest).toEqual(
      kind === "contract-proposal"
        ? [
            `code-hash ${"c0de".repeat(16)} (not compared with the deployed source: ` +
              "give --api <url> or --config <relay.toml>)",
          ]
        : [],
    );
  });

  it.each([
    [
      "an invalid action",
      ["encode", "loop-in", '{"amount-sats": 5}'],
      65,
      "lvdao: invalid action: ERR_MALFORMED_PAYLOAD (last-hop): is missing",
    ],
    [
      "a zero treasury transfer",
      ["encode", "treasury-transfer", '{"recipient": "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5", "amount": 0}'],
      65,
      "lvdao: invalid action: ERR_ZERO_AMOUNT (amount): must be positive",
    ],
    [
      "a treasury transfer above 10^15",
      [
        "encode",
        "treasury-transfer",
        '{"recipient": "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5", "amount": "1000000000000001"}',
      ],
      65,
      "lvdao: invalid action: ERR_TRANSFER_TOO_LARGE (amount)",
    ],
    [
      "a vault-set whose relay key is a 77-byte buffer",
      ["encode", "vault-set", JSON.stringify({ ...vaultJson, "relay-key": "aa".repeat(77) })],
      65,
      "lvdao: invalid action: ERR_BAD_XPUB (relay-key): must be a 78-byte serialized extended public key",
    ],
    [
      "a vault-set with a 1001 sat/vB fee cap",
      ["encode", "vault-set", JSON.stringify({ ...vaultJson, "max-fee-rate": 1001 })],
      65,
      "lvdao: invalid action: ERR_VAULT_FEE_RATE (max-fee-rate): must lie in [1, 1000] sat/vB",
    ],
    [
      "an lv-pricing with a 9-second quote",
      ["encode", "lv-pricing", JSON.stringify({ ...pricingJson, "quote-ttl": 9 })],
      65,
      "lvdao: invalid action: ERR_QUOTE_TTL (quote-ttl): must lie in [10, 3600] seconds",
    ],
    [
      "a contract-proposal without code-hash and no API to read it from",
      ["encode", "contract-proposal", '{"proposal": "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5.upgrade-1"}'],
      65,
      "lvdao: invalid action: ERR_MALFORMED_PAYLOAD (code-hash): is missing; give it, " +
        "or --api <url> (or --config <relay.toml>) to read it from the deployed contract",
    ],
    [
      "a 31-byte code-hash",
      [
        "encode",
        "contract-proposal",
        JSON.stringify({
          proposal: "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5.upgrade-1",
          "code-hash": "ab".repeat(31),
        }),
      ],
      65,
      "lvdao: invalid action: ERR_MALFORMED_PAYLOAD (code-hash): must be exactly 32 bytes",
    ],
    [
      "a standard principal, before any source is read",
      [
        "encode",
        "--api",
        "http://127.0.0.1:1",
        "contract-proposal",
        '{"proposal": "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5"}',
      ],
      65,
      "lvdao: invalid action: ERR_NOT_CONTRACT (proposal): must be a contract principal",
    ],
    [
      "an unknown field, before any source is read",
      [
        "encode",
        "--api",
        "http://127.0.0.1:1",
        "contract-proposal",
        '{"proposal": "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5.a", "codeHash": "00"}',
      ],
      65,
      'lvdao: invalid action: ERR_MALFORMED_PAYLOAD (codeHash): is not a field; the JSON form uses "code-hash"',
    ],
    [
      "both --api and --config",
      ["decode", "--api", "http://127.0.0.1:1", "--config", "relay.toml", "setting", "00"],
      2,
      "lvdao: action decode: give --api or --config, not both",
    ],
    [
      "an --api that is not a URL",
      ["encode", "--api", "127.0.0.1:3999", "setting", "{}"],
      2,
      '--api must be an http(s) URL, got "127.0.0.1:3999"',
    ],
    [
      "an API that cannot be reached",
      [
        "encode",
        "--api",
        "http://127.0.0.1:1",
        "contract-proposal",
        '{"proposal": "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5.upgrade-1"}',
      ],
      1,
      "lvdao: the Stacks API at http://127.0.0.1:1 is unreachable",
    ],
  ])("refuses %s with a clear error and a non-zero exit", async (_, argv, code, message) => {
    const result = await run("action", ...argv);
    expect(result.code).toBe(code);
    expect(result.err.split("\n")[0]).toContain(message);
  });
});
