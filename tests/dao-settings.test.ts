import { describe, expect, it } from "vitest";
import { Cl } from "@stacks/transactions";
import { call, deployer, err, printsWithTopic, read, setting, w } from "./helpers/chain.ts";
import { runAsDao } from "./helpers/lifecycle.ts";
import { vaultSet } from "./helpers/payloads.ts";

const KEYS: [string, bigint][] = [
  ["proposal-threshold", 1_000_000_000n],
  ["proposal-bond", 100_000_000n],
  ["max-active-per-proposer", 3n],
  ["claim-lease", 6n],
  ["max-attempts", 3n],
  ["min-channel-sats", 20_000n],
  ["max-channel-sats", 16_777_215n],
  ["max-fee-ppm", 5_000n],
  ["max-loop-sats", 10_000_000n],
  ["gt-per-lv", 1_000_000n],
  ["max-pause", 144n],
  ["veto-quorum", 2n],
  ["veto-window", 144n],
  ["cv-decay", 998_396_779_171n],
  ["cv-max-ratio", 2_000n],
  ["cv-weight", 10_000_000_000n],
  ["cv-min-stake-bps", 2_500n],
  ["paused-until", 0n],
  ["pause-cooldown", 1_008n],
  ["pause-budget", 432n],
  ["pause-period", 2_016n],
  ["max-attestation", 52_560n],
  ["grant-min-supporters", 3n],
];

const KINDS = [
  "channel-open",
  "channel-close",
  "fee-policy",
  "rebalance-policy",
  "loop-out",
  "loop-in",
  "lv-transfer",
  "watchtower",
  "lv-allocation",
  "relay-set",
  "setting",
  "gt-grant",
  "member-attestor",
  "guardian-set",
  "contract-proposal",
  "treasury-transfer",
  "vault-set",
  "lv-pricing",
];
const CONVICTION_KINDS = new Set(["lv-transfer", "lv-allocation", "gt-grant"]);

const setSetting = (key: string, value: bigint) =>
  runAsDao(`(contract-call? '${deployer}.dao-settings set-setting "${key}" u${value})`);

describe("get-setting", () => {
  it.each(KEYS)("answers the default of %s", (key, value) => {
    expect(setting(key)).toBe(value);
  });

  it("refuses an unknown key with ERR_UNKNOWN_KEY", () => {
    expect(read("dao-settings", "get-setting", [Cl.stringAscii("no-such-key")])).toEqual(
      err("dao-settings", "ERR_UNKNOWN_KEY"),
    );
  });

  it("exposes each key's bounds", () => {
    expect(read("dao-settings", "get-setting-bounds", [Cl.stringAscii("max-fee-ppm")])).toBeSome(
      Cl.tuple({ value: Cl.uint(5000), min: Cl.uint(0), max: Cl.uint(1_000_000) }),
    );
  });
});

describe("get-action-config", () => {
  it.each(KINDS)("has a config for %s with the documented mechanism", (kind) => {
    const conviction = CONVICTION_KINDS.has(kind);
    const chainSetting = [
      "setting",
      "relay-set",
      "member-attestor",
      "guardian-set",
      "contract-proposal",
      "treasury-transfer",
      "vault-set",
      "lv-pricing",
    ].includes(kind);
    expect(read("dao-settings", "get-action-config", [Cl.stringAscii(kind)])).toBeOk(
      Cl.tuple({
        mechanism: Cl.uint(conviction ? 2 : 1),
        "voting-delay": Cl.uint(conviction ? 0 : 6),
        "voting-period": Cl.uint(conviction ? 4320 : 144),
        "quorum-votes": Cl.uint(conviction ? 0 : 1_000_000),
        "pass-bps": Cl.uint(chainSetting ? 6000 : 5000),
        // a grant's timelock is a day, so guardians have a day to veto it
        timelock: Cl.uint(chainSetting ? 12 : kind === "gt-grant" ? 144 : 6),
        expiry: Cl.uint(1008),
        "members-only": Cl.bool(false),
      }),
    );
  });

  it.each(["nope", "a-kind-name-over-18chars"])("refuses the unknown kind %s with ERR_UNKNOWN_KIND", (kind) => {
    expect(read("dao-settings", "get-action-config", [Cl.stringAscii(kind)])).toEqual(
      err("dao-settings", "ERR_UNKNOWN_KIND"),
    );
  });
});

describe("check-setting", () => {
  it.each([
    ["max-fee-ppm", 1_000_001n, "ERR_OUT_OF_BOUNDS"],
    ["claim-lease", 0n, "ERR_OUT_OF_BOUNDS"],
    ["loop-out:pass-bps", 0n, "ERR_OUT_OF_BOUNDS"],
    ["loop-out:members-only", 2n, "ERR_OUT_OF_BOUNDS"],
    ["made-up", 1n, "ERR_UNKNOWN_KEY"],
    ["min-channel-sats", 20_000_000n, "ERR_INCONSISTENT"],
    ["max-channel-sats", 19_999n, "ERR_OUT_OF_BOUNDS"],
  ] as const)("refuses %s = %s with %s", (key, value, name) => {
    expect(read("dao-settings", "check-setting", [Cl.stringAscii(key), Cl.uint(value)])).toEqual(
      err("dao-settings", name),
    );
  });
});

describe("set-setting", () => {
  it("refuses an outsider with ERR_UNAUTHORIZED", () => {
    expect(call("dao-settings", "set-setting", [Cl.stringAscii("max-fee-ppm"), Cl.uint(1)], w[1]).result).toEqual(
      err("dao-settings", "ERR_UNAUTHORIZED"),
    );
  });

  it("sets a value for the DAO and prints setting-changed", () => {
    const { result, events } = setSetting("loop-out:voting-period", 300n);
    expect(result).toBeOk(Cl.bool(true));
    expect(printsWithTopic(events, "setting-changed")).toEqual([
      Cl.tuple({
        topic: Cl.stringAscii("setting-changed"),
        key: Cl.stringAscii("loop-out:voting-period"),
        "old-value": Cl.uint(144),
        value: Cl.uint(300),
      }),
    ]);
    expect(setting("loop-out:voting-period")).toBe(300n);
  });

  it("refuses unknown keys, out-of-bounds and inconsistent values, changing nothing", () => {
    expect(setSetting("made-up", 1n).result).toEqual(err("dao-settings", "ERR_UNKNOWN_KEY"));
    expect(setSetting("max-attempts", 21n).result).toEqual(err("dao-settings", "ERR_OUT_OF_BOUNDS"));
    expect(setSetting("max-channel-sats", 19_999n).result).toEqual(err("dao-settings", "ERR_OUT_OF_BOUNDS"));
    expect(setSetting("min-channel-sats", 16_777_216n).result).toEqual(err("dao-settings", "ERR_INCONSISTENT"));
    expect(setSetting("max-channel-sats", 19_000n).result).toEqual(err("dao-settings", "ERR_OUT_OF_BOUNDS"));
    expect(setting("max-attempts")).toBe(3n);
  });
});

describe("get-propose-config", () => {
  it("answers none for an unknown kind", () => {
    expect(read("dao-settings", "get-propose-config", [Cl.stringAscii("nope")])).toBeNone();
  });

  it("follows every setting propose reads: a kind's field and a proposal rule, copied into each kind", () => {
    setSetting("fee-policy:timelock", 17n);
    setSetting("proposal-bond", 123n);
    for (const kind of ["fee-policy", "gt-grant"]) {
      const found = read("dao-settings", "get-propose-config", [Cl.stringAscii(kind)]);
      if (found.type !== "some" || found.value.type !== "tuple") throw new Error(`no config for ${kind}`);
      const config = found.value.value;
      expect(config["proposal-bond"]).toEqual(Cl.uint(123));
      for (const field of [
        "mechanism",
        "voting-delay",
        "voting-period",
        "quorum-votes",
        "pass-bps",
        "timelock",
        "expiry",
        "members-only",
      ]) {
        expect(config[field], `${kind}:${field}`).toEqual(Cl.uint(setting(`${kind}:${field}`)));
      }
      for (const key of [
        "proposal-threshold",
        "proposal-bond",
        "max-active-per-proposer",
        "veto-window",
        "min-channel-sats",
        "max-channel-sats",
        "max-fee-ppm",
        "max-loop-sats",
      ]) {
        expect(config[key], `${kind} ${key}`).toEqual(Cl.uint(setting(key)));
      }
    }
    expect(setting("fee-policy:timelock")).toBe(17n);
    expect(read("dao-settings", "get-propose-rules")).toMatchObject(
      Cl.tuple({
        "proposal-threshold": Cl.uint(setting("proposal-threshold")),
        "proposal-bond": Cl.uint(123),
        "max-active-per-proposer": Cl.uint(setting("max-active-per-proposer")),
        "veto-window": Cl.uint(setting("veto-window")),
        "min-channel-sats": Cl.uint(setting("min-channel-sats")),
        "max-channel-sats": Cl.uint(setting("max-channel-sats")),
        "max-fee-ppm": Cl.uint(setting("max-fee-ppm")),
        "max-loop-sats": Cl.uint(setting("max-loop-sats")),
      }),
    );
  });
});

describe("set-vault", () => {
  it("refuses anyone but the DAO with ERR_UNAUTHORIZED, and there is no vault until one is set", () => {
    expect(call("dao-settings", "set-vault", [vaultSet()], w[1]).result).toEqual(
      err("dao-settings", "ERR_UNAUTHORIZED"),
    );
    expect(read("dao-settings", "get-vault")).toBeNone();
  });

  it("stores the vault with the Stacks height it was set at and prints vault-set", () => {
    const source = Cl.prettyPrint(vaultSet());
    const { result, events } = runAsDao(`(contract-call? '${deployer}.dao-settings set-vault ${source})`);
    expect(result).toBeOk(Cl.bool(true));
    const [event] = printsWithTopic(events, "vault-set");
    if (event?.type !== "tuple") throw new Error("no vault-set event");
    const setAt = event.value["set-at"]!;
    // simnet's block height after a call is the stacks-block-height the call ran at
    expect(setAt).toEqual(Cl.uint(simnet.blockHeight));
    const stored = vaultSet({ "set-at": setAt });
    expect(read("dao-settings", "get-vault")).toBeSome(stored);
    expect(event).toEqual(vaultSet({ "set-at": setAt, topic: Cl.stringAscii("vault-set") }));
  });
});
