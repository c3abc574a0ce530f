// The machine demo on the simulators, in-process for a few seconds: robots pay each other and are paid by the
// customer through the DAO node, convert revenue to LV at the relay's desk (started on the node emulation with
// a passed lv-pricing), and the summary and chart show it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { quote } from "../../market/pricing.ts";
import { DEMO_PRICING, DEMO_ROBOT_POLICY } from "./config.ts";
import { parseDemoArgs, runDemo } from "./run.ts";
import { wellFormedXml } from "./test-xml.ts";

const MAIN = join(import.meta.dirname, "main.ts");

describe("npm run demo:machines on the simulators", () => {
  it("makes payments, moves inbound and the premium by the pricing rule, and gives converting robots LV", async () => {
    const out = join(tmpdir(), `lvdao-demo-${process.pid}.svg`);
    const lines: string[] = [];
    const { summary, svg } = await runDemo(
      parseDemoArgs(["--robots", "3", "--minutes", "0.3", "--out", out]),
      (line) => lines.push(line),
      // one sale triggers a conversion, so the policy fires within the run even on a loaded machine
      { robotPolicy: { ...DEMO_ROBOT_POLICY, revenueThresholdSats: 2_000n, minConversionSats: 1_000n } },
    );
    try {
      expect(summary.payments.customer).toBeGreaterThan(0);
      expect(summary.payments.perSecond).toBeGreaterThan(0);
      const first = summary.samples[0];
      const last = summary.samples.at(-1);
      if (!first || !last) throw new Error("no samples");
      // The customer's one-way flow drains the DAO's inbound on its channel, or a loop-out refilled it.
      expect(summary.samples.some((s) => s.customerChannelInboundBps !== first.customerChannelInboundBps)).toBe(true);
      // The desk quotes from the liquidity oracle's snapshot, which the relay's reporter posts every burn block: the
      // premium in every sample is the pricing rule applied to that snapshot, recomputed here from its sats:
      // clamp(slope * (target - inbound) / 100, 0, max).
      for (const s of summary.samples) {
        const total = s.snapshot.inboundSats + s.snapshot.outboundSats;
        expect(total).toBeGreaterThan(0n);
        const inbound = (s.snapshot.inboundSats * 10_000n) / total;
        const raw = (DEMO_PRICING.premiumSlopeBps * (DEMO_PRICING.targetInboundBps - inbound)) / 100n;
        const premium = raw < 0n ? 0n : raw > DEMO_PRICING.maxPremiumBps ? DEMO_PRICING.maxPremiumBps : raw;
        expect(s.premiumBps).toBe(premium);
      }
      // Conversions pay the DAO node and loop-outs refill it: the share moves, the reporter carries it to the
      // snapshot, and the premium moves against it.
      expect(summary.payments.conversions).toBeGreaterThan(0);
      expect(summary.samples.some((s) => s.inboundBps !== first.inboundBps)).toBe(true);
      expect(summary.samples.some((s) => s.premiumBps !== first.premiumBps)).toBe(true);
      const snapshotBps = (s: (typeof summary.samples)[number]) =>
        (s.snapshot.inboundSats * 10_000n) / (s.snapshot.inboundSats + s.snapshot.outboundSats);
      for (const a of summary.samples)
        for (const b of summary.samples)
          if (snapshotBps(a) < snapshotBps(b)) expect(a.premiumBps >= b.premiumBps).toBe(true);
      // Every settled trade was quoted by the pricing function at the snapshot share the desk journaled with it.
      expect(summary.settledQuotes.length).toBe(summary.desk.settled);
      for (const q of summary.settledQuotes) {
        const snapshot = { inboundSats: q.inboundBps, outboundSats: 10_000n - q.inboundBps };
        const expected = quote(DEMO_PRICING, snapshot, "buy", q.lv);
        expect([q.sats, q.premiumBps]).toEqual([expected.sats, expected.premiumBps]);
      }
      const converted = Object.entries(summary.lvBoughtPerRobot).filter(([, lv]) => lv > 0n);
      expect(converted.length).toBeGreaterThan(0);
      for (const [name, lv] of converted) expect(summary.lvPerRobot[name]).toBe(lv);
      expect(summary.desk.lvSold).toBe(converted.reduce((sum, [, lv]) => sum + lv, 0n));
      expect(lines.some((l) => /^\[ *\d+\.\d s\] \d+ payments/.test(l))).toBe(true);
      expect(lines.some((l) => l.startsWith("summary: 3 robots"))).toBe(true);
      expect(wellFormedXml(svg)).toEqual({ ok: true, root: "svg" });
      expect(readFileSync(out, "utf8")).toBe(svg);
    } finally {
      rmSync(out, { force: true });
    }
  }, 240_000);

  it.each<{ argv: string[]; message: RegExp }>([
    { argv: ["--robots", "1"], message: /--robots must be an integer in \[2, 200\]/ },
    { argv: ["--robots", "2.5"], message: /--robots must be/ },
    { argv: ["--minutes", "0"], message: /--minutes must be a number in \(0, 60\]/ },
    { argv: ["--minutes", "abc"], message: /--minutes must be/ },
    { argv: ["--seed", "x"], message: /--seed must be an integer/ },
    { argv: ["--status-port", "70000"], message: /--status-port must be a port number/ },
    { argv: ["--bogus"], message: /Unknown option '--bogus'/ },
    { argv: ["--real", "--robots", "3"], message: /--real runs 2 robots, one on each .* \(contributor, peer\)/ },
  ])("refuses $argv", ({ argv, message }) => {
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });

  it("takes fractional minutes and the defaults", () => {
    expect(parseDemoArgs(["--minutes", "0.2"])).toEqual({
      robots: 10,
      minutes: 0.2,
      real: false,
      out: ".cache/demo-machines.svg",
      seed: 1,
      statusPort: 0,
    });
    expect(parseDemoArgs(["--real"])).toMatchObject({ robots: 2, real: true });
  });

  it("--real without the regtest binaries says to run npm run regtest:install and exits 2", () => {
    const cache = mkdtempSync(join(tmpdir(), "lvdao-no-binaries-"));
    try {
      const run = spawnSync(process.execPath, ["--import", "tsx", MAIN, "--real"], {
        env: { ...process.env, XDG_CACHE_HOME: cache },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.stderr).toMatch(/demo:machines: .*npm run regtest:install/);
      expect(run.status).toBe(2);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }, 90_000);
});
