// A relay the DAO has not (or no longer) enabled idles: it says so once, claims nothing and sends no report (no
// ERR_NOT_RELAY, no failed report-liquidity every round), and resumes by itself once a relay-set proposal enables
// it. The relay runs with wallet_5's key, which the devnet bootstrap does not enable (execution-queue.is-relay is
// false, as after a relay-set that disabled it), against the node emulation and the real contracts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cl, serializeCV } from "@stacks/transactions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { readConfig } from "../config.ts";
import { memoryLogger } from "../log.ts";
import { startRelay, type RelayRuntime } from "../start.ts";
import { FakeLnd } from "./fakes.ts";
import { DEPLOYER, passAction, readOnly, send } from "../../devnet/governance.ts";
import { PEER } from "./harness.ts";
import { until } from "./wait.ts";

const REPO = resolve(import.meta.dirname, "../../..");
const DISABLED = "this relay is disabled by the DAO";
const ENABLED = "this relay is enabled again";

let dir: string;
let devnet: Devnet;
let relay: RelayRuntime;
const log = memoryLogger();
const lnd = new FakeLnd();
const lines = (text: string) => log.lines.filter((line) => line.includes(text));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-disabled-relay-"));
  devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
  writeFileSync(join(dir, "relay.key"), devnet.account("wallet_5").privateKey);
  const { config, secrets } = readConfig(
    {
      stacks: { api_url: devnet.url, deployer: DEPLOYER, relay_key_file: "relay.key", poll_interval_ms: 100 },
      journal: { sqlite_path: "relay.db" },
      executor: { poll_interval_ms: 100, retry_backoff_ms: 100 },
      monitors: { liquidity_poll_ms: 100, liquidity_report_blocks: 1 },
      http: { listen: "127.0.0.1:0" },
    },
    { configPath: join(dir, "relay.toml") },
  );
  relay = await startRelay(config, {
    secrets,
    daemons: { lnd, loop: undefined, tapd: {} },
    logSink: (line) => log.lines.push(line),
  });
}, 240_000);
afterAll(async () => {
  await relay?.stop();
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a relay the DAO has not enabled", () => {
  it("says so once, and neither claims a queued action nor sends a report", async () => {
    await until("the relay to notice", () => lines(DISABLED).length > 0);
    const payload = Cl.tuple({
      peer: Cl.buffer(Buffer.from(PEER, "hex")),
      host: Cl.stringAscii("127.0.0.1:9735"),
      "local-sats": Cl.uint(100_000),
      "push-sats": Cl.uint(0),
      private: Cl.bool(false),
      "base-fee-msat": Cl.uint(1000),
      "fee-ppm": Cl.uint(100),
      "cltv-delta": Cl.uint(40),
    });
    const id = await passAction(devnet, "channel-open", Buffer.from(serializeCV(payload), "hex"), "open while idle");
    await devnet.mine({ burn: 12 });
    await until("the relay to see the queued action", async () => (await relay.journal.actions.get(id)) ?? undefined);
    // Many poll rounds (100 ms) and burn blocks pass.
    for (let i = 0; i < 5; i++) {
      await devnet.mine({ burn: 1 });
      await new Promise((done) => setTimeout(done, 300));
    }
    expect((await relay.journal.actions.get(id))?.state).toBe("seen");
    expect(lines(DISABLED)).toHaveLength(1);
    expect(log.lines.filter((line) => /ERR_NOT_RELAY|u1501|u1601|u1801/.test(line))).toEqual([]);
    expect(lnd.log.calls.filter((call) => call === "scanChannels" || call === "openChannel")).toEqual([]);
  }, 600_000);

  it("resumes once a relay-set proposal enables it: says so once, and its reporter runs again", async () => {
    const relaySet = Cl.tuple({ relay: Cl.principal(devnet.account("wallet_5").address), enabled: Cl.bool(true) });
    const id = await passAction(devnet, "relay-set", Buffer.from(serializeCV(relaySet), "hex"), "enable wallet_5");
    // A chain kind applies at its second conclude, once its timelock has passed.
    await devnet.mine({ burn: 12 });
    await send(devnet, "wallet_3", "proposals", "conclude", [Cl.uint(id)]);
    await until("is-relay to be true", async () =>
      (await readOnly(devnet, "execution-queue", "is-relay", [Cl.principal(devnet.account("wallet_5").address)])) ===
      "true"
        ? true
        : undefined,
    );
    await until("the relay to notice it is enabled", () => lines(ENABLED).length > 0);
    await devnet.mine({ burn: 2 });
    await until("the reporter to scan the channels", () => lnd.log.count("scanChannels") > 0);
    expect(lines(ENABLED)).toHaveLength(1);
    expect(lines(DISABLED)).toHaveLength(1);
  }, 600_000);
});
