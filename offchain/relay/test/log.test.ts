// The redaction layer: whatever a log line carries (a field, an error message, a nested object), registered secrets
// and macaroon-shaped data never reach the sink.
import { describe, expect, it } from "vitest";
import { memoryLogger, SecretRegistry } from "../log.ts";

const MACAROON_HEX =
  "0201036c6e6402f801030a10b4f1d39a1ee4e4aa9d2b5f6d5c8a2e4f1201301a160a07616464726573731204726561641205777269746500";
const KEY = "7287ba251d44a4d3fd9276c88ce34c5c52a038955511cccaf77e61068649c17801";

describe("log redaction", () => {
  const secrets = new SecretRegistry();
  secrets.add(KEY);
  secrets.add(Buffer.from(MACAROON_HEX, "hex"));

  it.each([
    ["a registered key in a message", (log: ReturnType<typeof memoryLogger>) => log.info(`signing with ${KEY}`)],
    [
      "a registered key in upper case",
      (log: ReturnType<typeof memoryLogger>) => log.info("k", { note: KEY.toUpperCase() }),
    ],
    [
      "a macaroon in a nested field",
      (log: ReturnType<typeof memoryLogger>) =>
        log.warn("call failed", { request: { headers: { "Grpc-Metadata-macaroon": MACAROON_HEX } } }),
    ],
    [
      "a macaroon in base64 inside an error",
      (log: ReturnType<typeof memoryLogger>) =>
        log.error("x", { error: new Error(`bad ${Buffer.from(MACAROON_HEX, "hex").toString("base64")}`) }),
    ],
    [
      "an unregistered macaroon",
      (log: ReturnType<typeof memoryLogger>) => log.info(`mac 0201036c6e64${"ab".repeat(40)}`),
    ],
    [
      "a field named like a secret",
      (log: ReturnType<typeof memoryLogger>) =>
        log.info("cfg", { senderKey: "abc", privateKey: "def", mnemonic: "twelve words" }),
    ],
  ])("%s never reaches the sink", (_name, write) => {
    const log = memoryLogger({ secrets });
    write(log);
    const text = log.lines.join("\n");
    expect(text).toContain("[redacted]");
    for (const leak of [
      KEY,
      KEY.toUpperCase(),
      MACAROON_HEX,
      Buffer.from(MACAROON_HEX, "hex").toString("base64"),
      "0201036c6e64abab",
      "twelve words",
    ])
      expect(text).not.toContain(leak);
  });

  it("keeps ordinary 32-byte hex (txids) readable", () => {
    const log = memoryLogger({ secrets });
    const txid = "aa".repeat(32);
    log.info("claim broadcast", { txid, id: 7n });
    expect(JSON.parse(log.lines[0]!)).toMatchObject({ msg: "claim broadcast", txid, id: "7", level: "info" });
  });

  it("drops lines below the level", () => {
    const log = memoryLogger({ level: "warn" });
    log.info("quiet");
    log.warn("loud");
    expect(log.lines).toHaveLength(1);
  });
});
