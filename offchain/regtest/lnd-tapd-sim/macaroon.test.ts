// Macaroons as the simulators bake and check them: the V2 format round-trips, and every way lnd refuses a
// macaroon is refused here with lnd's message.
import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ADMIN_ENTITIES,
  bakeMacaroon,
  checkMacaroon,
  decodeMacaroon,
  encodeMacaroon,
  MacaroonError,
} from "./macaroon.ts";

const rootKey = randomBytes(32);
const all = ADMIN_ENTITIES.flatMap((entity) => ["read", "write"].map((action) => ({ entity, action })));
const admin = bakeMacaroon(rootKey, "lnd", all);
const readonly = bakeMacaroon(
  rootKey,
  "lnd",
  ADMIN_ENTITIES.map((entity) => ({ entity, action: "read" })),
);
const write = [{ entity: "offchain", action: "write" }];

function withCaveat(bytes: Buffer, caveat: string): Buffer {
  const macaroon = decodeMacaroon(bytes);
  // A correctly chained first-party caveat: the signature is valid, the restriction is one we do not honour.
  const signature = createHmac("sha256", macaroon.signature).update(caveat).digest();
  return encodeMacaroon({ ...macaroon, caveats: [Buffer.from(caveat)], signature });
}

describe("macaroon encoding", () => {
  it("decodes what it encodes, location, identifier and signature intact", () => {
    const decoded = decodeMacaroon(admin);
    expect(decoded.location).toBe("lnd");
    expect(encodeMacaroon(decoded).equals(admin)).toBe(true);
  });

  it("rejects a truncated macaroon", () => {
    expect(() => decodeMacaroon(admin.subarray(0, admin.length - 5))).toThrow(/unmarshal v2|packet too short/);
  });
});

describe("checkMacaroon", () => {
  it("accepts the admin macaroon for a write and the read-only one for a read", () => {
    expect(() => checkMacaroon([admin.toString("hex")], rootKey, write)).not.toThrow();
    expect(() =>
      checkMacaroon([readonly.toString("hex")], rootKey, [{ entity: "info", action: "read" }]),
    ).not.toThrow();
  });

  const refusals: Array<[string, string[], Buffer, RegExp]> = [
    ["no macaroon", [], rootKey, /^expected 1 macaroon, got 0$/],
    ["two macaroons", [admin.toString("hex"), admin.toString("hex")], rootKey, /^expected 1 macaroon, got 2$/],
    ["not hex", ["zz" + admin.toString("hex")], rootKey, /^encoding\/hex: invalid byte/],
    ["garbage bytes", ["0102"], rootKey, /packet too short/],
    [
      "another daemon's root key",
      [admin.toString("hex")],
      randomBytes(32),
      /^verification failed: signature mismatch after caveat verification$/,
    ],
    [
      "a tampered signature",
      [Buffer.concat([admin.subarray(0, -1), Buffer.from([admin[admin.length - 1]! ^ 1])]).toString("hex")],
      rootKey,
      /^verification failed/,
    ],
    ["a read-only macaroon for a write", [readonly.toString("hex")], rootKey, /^permission denied$/],
    [
      "a caveat the simulator does not honour",
      [withCaveat(admin, "time-before 2000-01-01T00:00:00Z").toString("hex")],
      rootKey,
      /^caveat not satisfied/,
    ],
  ];
  it.each(refusals)("refuses %s", (_name, values, key, message) => {
    let error: unknown;
    try {
      checkMacaroon(values, key, write);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MacaroonError);
    expect((error as Error).message).toMatch(message);
  });
});
