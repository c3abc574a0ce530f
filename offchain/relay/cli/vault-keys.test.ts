import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KEYS, XPUB } from "../../vault/test/fixtures.ts";
import { main } from "./main.ts";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe("lvdao vault keygen", () => {
  it("writes a new 0600 xprv file, prints the matching xpub, and never overwrites", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "keygen-")), "party.xprv");
    const { io, out } = capture();
    expect(await main(["vault", "keygen", "--network", "regtest", "--out", file], io)).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^tprv[1-9A-HJ-NP-Za-km-z]{107}\n$/);
    expect(out[1]).toMatch(/^xpub tpub/);
    expect(out[2]).toMatch(/^vault-set bytes 0x[0-9a-f]{156}$/);
    expect(out.join("\n")).not.toContain(readFileSync(file, "utf8").trim());
    expect(await main(["vault", "keygen", "--network", "regtest", "--out", file], capture().io)).toBe(1);
  });
});

describe("lvdao vault descriptor", () => {
  it("prints both descriptors and the hash for given xpubs", async () => {
    const { io, out } = capture();
    const args = ["--relay", XPUB.relay, "--cosigner", XPUB.cosigner, "--threshold", "2", "--recovery-older", "144"];
    const guardians = KEYS.guardians.flatMap((g) => ["--guardian", g]);
    const last = ["--last-resort", XPUB.lastResort, "--last-resort-older", "4320"];
    const code = await main(["vault", "descriptor", "--network", "regtest", ...args, ...guardians, ...last], io);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^receive tr\(50929b74.*#dmw20qz9$/);
    expect(out[1]).toMatch(/^change {2}tr\(50929b74.*\/1\/\*.*#/);
    expect(out[2]).toBe("descriptor-hash 0x65a5e45360ee8fe4580875fdb9bbdcd8b59bf248de48dd21fbdca6a54ecd839c");
  });

  it("a bad threshold is refused with the vault's error", async () => {
    const { io, err } = capture();
    const args = ["--relay", XPUB.relay, "--cosigner", XPUB.cosigner, "--guardian", XPUB.guardian0, "--threshold", "2"];
    const rest = ["--recovery-older", "144", "--last-resort", XPUB.lastResort, "--last-resort-older", "4320"];
    expect(await main(["vault", "descriptor", "--network", "regtest", ...args, ...rest], io)).toBe(1);
    expect(err[0]).toBe("lvdao: bad-threshold: guardian threshold 2 is not between 1 and 1");
  });
});
