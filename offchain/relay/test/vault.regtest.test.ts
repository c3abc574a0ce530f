// The DAO's vault on REAL btcd and lnd (the regtest stack) with the real contracts on the node emulation: the vault
// registered by a voted vault-set, the real co-signer process (`lvdao cosigner start`) and the relay as `lvdao relay
// start` processes. Followed through: the vault funded and its balance read back; a voted channel-open funded from
// vault coins with the relay's and the co-signer's signatures; a relay SIGKILLed once the PSBT is complete and
// before lnd took it, the restarted one funding the channel exactly once; a cooperative close paying the vault; a
// loop-out sweeping to the vault and one elsewhere refused 403; the audit's money trail clean, then a spend by hand
// with both keys reported; the co-signer refusing a PSBT whose amount differs from the vote and one paying a foreign
// address; the guardian and last-resort paths refused before their timelocks and spent after.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { Cl } from "@stacks/transactions";
import { address as bitcoinAddress, type Psbt, Transaction } from "bitcoinjs-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeAction } from "../../actions/index.ts";
import { channelMemo, findChannelsByMemo, sendCoins } from "../../lightning/index.ts";
import { freePorts } from "../../regtest/harness/processes.ts";
import {
  bitcoinNetwork,
  buildLastResortPsbt,
  buildRecoveryPsbt,
  buildSpendPsbt,
  finalizeSpend,
  signEveryday,
  signVault,
  vaultAddress,
  vaultDescriptorHash,
  xpubBytes,
  type VaultKeys,
  type VaultUtxo,
} from "../../vault/index.ts";
import { XPRV, XPUB } from "../../vault/test/fixtures.ts";
import { runLvdao, spawnLvdao, type RelayProcess } from "./cli-process.ts";
import { DEPLOYER, passAction, send } from "../../devnet/governance.ts";
import { startRegtestRelayStack, type RegtestRelayStack } from "./regtest-stack.ts";
import { until } from "./wait.ts";

const KILL_AT = resolve(import.meta.dirname, "kill-at.mjs");
/** The DAO's bounds allow 144 blocks at least for the guardians; the last resort a little later, to keep mining short. */
const KEYS: VaultKeys = {
  relay: XPUB.relay,
  cosigner: XPUB.cosigner,
  guardians: [XPUB.guardian0, XPUB.guardian1, XPUB.guardian2],
  guardianThreshold: 2,
  recoveryOlder: 144,
  lastResort: XPUB.lastResort,
  lastResortOlder: 160,
};
const FOREIGN = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

let stack: RegtestRelayStack;
let cosigner: RelayProcess;
let cosignerUrl = "";
let configPath = "";
const journalPath = () => join(stack.dir, "vault-relay.db");

beforeAll(async () => {
  stack = await startRegtestRelayStack("vault-regtest");
  // The vault, registered by the DAO: keys as xpub bytes, the descriptor's hash.
  const id = await passAction(
    stack.devnet,
    "vault-set",
    encodeAction({
      kind: "vault-set",
      payload: {
        descriptorHash: hex(vaultDescriptorHash(KEYS, "regtest")),
        relayKey: hex(xpubBytes(KEYS.relay)),
        cosignerKey: hex(xpubBytes(KEYS.cosigner)),
        guardianKeys: KEYS.guardians.map((g) => hex(xpubBytes(g))),
        guardianThreshold: BigInt(KEYS.guardianThreshold),
        recoveryOlder: BigInt(KEYS.recoveryOlder),
        lastResortKey: hex(xpubBytes(KEYS.lastResort)),
        lastResortOlder: BigInt(KEYS.lastResortOlder),
        maxFeeRate: 10n,
      },
    }),
    "Register the vault",
  );
  await stack.devnet.mine({ burn: 12 });
  await send(stack.devnet, "wallet_3", "proposals", "conclude", [Cl.uint(id)]);

  // The co-signer: its own key, its own journal, the chain read by itself.
  const [port] = await freePorts(1);
  cosignerUrl = `http://127.0.0.1:${port}`;
  writeFileSync(join(stack.dir, "cosigner.xprv"), `${XPRV.cosigner}\n`);
  writeFileSync(
    join(stack.dir, "cosigner.toml"),
    [
      "[bitcoin]",
      'network = "regtest"',
      "[cosigner]",
      `listen = "127.0.0.1:${port}"`,
      'journal = "cosigner.sqlite"',
      "[key]",
      'xprv_file = "cosigner.xprv"',
      "[stacks]",
      `node_url = "${stack.devnet.url}"`,
      'network = "devnet"',
      `deployer = "${DEPLOYER}"`,
      "",
    ].join("\n"),
  );
  cosigner = spawnLvdao(["cosigner", "start", "--config", join(stack.dir, "cosigner.toml")]);
  const healthy = () =>
    fetch(`${cosignerUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  await until("the co-signer to answer /healthz", healthy, 60_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${cosigner.output().slice(-2000)}`);
  });

  writeFileSync(join(stack.dir, "relay.xprv"), `${XPRV.relay}\n`);
  const btcd = stack.lightning.stack.bitcoin;
  configPath = stack.writeConfig("vault-relay", {
    monitors: { enabled: false },
    limits: { max_channel_sats: 3_000_000 },
    vault: {
      network: "regtest",
      relay_xprv_file: "relay.xprv",
      cosigner_url: cosignerUrl,
      fee_rate: 2,
      btcd_rpc_host: String(btcd.rpc_host),
      btcd_rpc_user: String(btcd.rpc_user),
      btcd_password_file: String(btcd.rpc_password_path),
      btcd_cert_file: String(btcd.rpc_cert_path),
    },
  });
}, 600_000);

afterAll(async () => {
  cosigner?.child.kill("SIGTERM");
  await cosigner?.exited;
  await stack?.stop();
});

async function relayProcess(env: NodeJS.ProcessEnv = process.env, nodeOptions: string[] = []): Promise<RelayProcess> {
  return spawnLvdao(["relay", "start", "--config", configPath], { env, nodeOptions });
}

async function stopped(relay: RelayProcess): Promise<string> {
  relay.child.kill("SIGTERM");
  await relay.exited;
  return relay.output();
}

function journal<T>(sql: string, ...params: unknown[]): T | undefined {
  const db = new Database(journalPath(), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get(...params) as T | undefined;
  } finally {
    db.close();
  }
}

const actionRow = (id: bigint) =>
  journal<{ state: string; outcome: string | null; failure_code: number | null; evidence_hex: string | null }>(
    "SELECT state, outcome, failure_code, evidence_hex FROM actions WHERE id = ?",
    id,
  );

async function reported(id: bigint, relay: RelayProcess) {
  return until(
    `#${id} reported`,
    () => {
      const row = actionRow(id);
      return row?.state === "reported" ? row : undefined;
    },
    180_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${relay.output().slice(-3000)}`);
  });
}

async function lvdao(...args: string[]): Promise<string> {
  const result = await runLvdao(args);
  if (result.code !== 0) throw new Error(`lvdao ${args.join(" ")} exit ${result.code}: ${result.stderr}`);
  return result.stdout.trim();
}

async function rawTx(txid: string): Promise<Transaction> {
  return Transaction.fromHex(await stack.lightning.bitcoin.rpc.call<string>("getrawtransaction", [txid, 0]));
}

const outpointOf = (input: Transaction["ins"][number]) =>
  `${Buffer.from(input.hash).reverse().toString("hex")}:${input.index}`;

async function cosignerCounter(name: string, label: string): Promise<number> {
  const text = await (await fetch(`${cosignerUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${label}}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

const peer = () => stack.lightning.nodes.peer;
const channelOpenTuple = (localSats: number) => ({
  peer: Cl.buffer(Buffer.from(peer().pubkey, "hex")),
  host: Cl.stringAscii(peer().p2p_host),
  "local-sats": Cl.uint(localSats),
  "push-sats": Cl.uint(0),
  private: Cl.bool(false),
  "base-fee-msat": Cl.uint(1_000),
  "fee-ppm": Cl.uint(100),
  "cltv-delta": Cl.uint(40),
});

const passed = (kind: string, tuple: Parameters<typeof Cl.tuple>[0]) =>
  passAction(stack.devnet, kind, Buffer.from(Cl.serialize(Cl.tuple(tuple)), "hex"), `${kind} from the vault`);

/** The vault's coins as btcd has them, found with the relay's CLI address book. */
async function vaultCoins(): Promise<VaultUtxo[]> {
  const result = JSON.parse(await lvdao("vault", "balance", "--config", configPath, "--json")) as { coins: number };
  expect(result.coins).toBeGreaterThan(0);
  const coins: VaultUtxo[] = [];
  for (const branch of [0, 1] as const) {
    for (let index = 0; index < 25; index++) {
      const address = vaultAddress(KEYS, "regtest", index, branch);
      const txs = await stack.lightning.bitcoin.rpc
        .call<{ txid: string; hex: string }[]>("searchrawtransactions", [address, 1, 0, 100, 0, false])
        .catch(() => []);
      for (const found of txs) {
        const tx = Transaction.fromHex(found.hex);
        tx.outs.forEach((out, vout) => {
          if (bitcoinAddress.fromOutputScript(out.script, bitcoinNetwork("regtest")) === address)
            coins.push({ txid: found.txid, vout, sats: out.value, index, branch });
        });
      }
    }
  }
  const unspent: VaultUtxo[] = [];
  for (const coin of coins)
    if ((await stack.lightning.bitcoin.rpc.call("gettxout", [coin.txid, coin.vout, true])) !== null) unspent.push(coin);
  return unspent;
}

describe("the DAO's vault on regtest", () => {
  let channel = "";

  it("is funded at a fresh address and its balance is read back through btcd", async () => {
    const first = JSON.parse(await lvdao("vault", "address", "--config", configPath, "--json"));
    const second = JSON.parse(await lvdao("vault", "address", "--config", configPath, "--json"));
    expect([first.index, second.index]).toEqual([0, 1]);
    expect(first.address).toBe(vaultAddress(KEYS, "regtest", 0, 0));
    for (const { address } of [first, second])
      await sendCoins({ lnd: stack.lightning.lnd.dao, address, sats: 2_000_000, label: "fund the vault" });
    await stack.lightning.mine(1);
    const balance = await until("both deposits confirmed", async () => {
      const b = JSON.parse(await lvdao("vault", "balance", "--config", configPath, "--json"));
      return b.confirmedSats === "4000000" ? b : undefined;
    });
    expect(balance).toEqual({ confirmedSats: "4000000", unconfirmedSats: "0", coins: 2 });
  });

  it("funds a voted channel-open from vault coins, signed by the relay and the co-signer", async () => {
    const relay = await relayProcess();
    try {
      const id = await passed("channel-open", channelOpenTuple(1_000_000));
      const row = await reported(id, relay);
      expect([row.outcome, row.failure_code]).toEqual(["success", null]);
      const txid = row.evidence_hex!.slice(0, 64);
      channel = `${txid}:${parseInt(row.evidence_hex!.slice(64), 16)}`;
      const funding = await rawTx(txid);
      // every input is one of the two deposits at receive indices 0 and 1
      for (const input of funding.ins) {
        const prev = await rawTx(outpointOf(input).split(":")[0]!);
        const paid = bitcoinAddress.fromOutputScript(prev.outs[input.index]!.script, bitcoinNetwork("regtest"));
        expect([0, 1].map((i) => vaultAddress(KEYS, "regtest", i, 0))).toContain(paid);
      }
      expect(funding.outs.map((o) => o.value)).toContain(1_000_000n);
      expect(await cosignerCounter("lvdao_cosigner_signed_total", 'kind="channel-open"')).toBe(1);
      const job = journal<{ value: string }>("SELECT value FROM kv WHERE key = ?", `vault-funding:${id}:0000`);
      expect(JSON.parse(job!.value)).toMatchObject({ state: "funded", fundingOutpoint: channel });
    } finally {
      await stopped(relay);
    }
  });

  it("funds a channel exactly once when the relay is SIGKILLed with the PSBT complete, before lnd has it", async () => {
    const first = await relayProcess(
      {
        ...process.env,
        RELAY_FAULT_KILL_AT: JSON.stringify({
          when: "after",
          op: "job",
          prefix: "vault-funding:",
          state: "cosigner-signed",
        }),
      },
      ["--import", KILL_AT],
    );
    const id = await passed("channel-open", channelOpenTuple(600_000));
    const ended = await Promise.race([
      first.exited,
      new Promise<undefined>((done) => setTimeout(() => done(undefined), 120_000)),
    ]);
    expect(ended?.signal, first.output().slice(-3000)).toBe("SIGKILL");
    expect(await findChannelsByMemo({ lnd: stack.lightning.lnd.dao, memo: channelMemo(Number(id)) })).toEqual([]);

    const second = await relayProcess();
    try {
      const row = await reported(id, second);
      expect(row.outcome).toBe("success");
      const channels = await findChannelsByMemo({ lnd: stack.lightning.lnd.dao, memo: channelMemo(Number(id)) });
      expect(channels).toHaveLength(1);
      expect(`${channels[0]!.channel.txid}:${channels[0]!.channel.vout}`).toBe(
        `${row.evidence_hex!.slice(0, 64)}:${parseInt(row.evidence_hex!.slice(64), 16)}`,
      );
      // one signature by the co-signer for this action: the restarted relay reused the complete PSBT
      expect(await cosignerCounter("lvdao_cosigner_signed_total", 'kind="channel-open"')).toBe(2);
    } finally {
      await stopped(second);
    }
  });

  it("closes cooperatively to a vault address", async () => {
    const relay = await relayProcess();
    try {
      const [txid, vout] = channel.split(":");
      const id = await passed("channel-close", {
        txid: Cl.buffer(Buffer.from(txid!, "hex")),
        vout: Cl.uint(Number(vout)),
        force: Cl.bool(false),
        "max-fee-rate": Cl.uint(10),
      });
      const row = await reported(id, relay);
      expect(row.outcome).toBe("success");
      const closing = await rawTx(row.evidence_hex!);
      const paid = closing.outs.map((o) => bitcoinAddress.fromOutputScript(o.script, bitcoinNetwork("regtest")));
      const fresh = Array.from({ length: 6 }, (_, i) => vaultAddress(KEYS, "regtest", i, 0));
      expect(paid.some((a) => fresh.includes(a))).toBe(true);
    } finally {
      await stopped(relay);
    }
  });

  it("loops out to a vault address and refuses a loop-out elsewhere with 403", async () => {
    const relay = await relayProcess();
    try {
      const dest = JSON.parse(await lvdao("vault", "address", "--config", configPath, "--json")).address as string;
      const loop = (to: string) => ({
        "amount-sats": Cl.uint(250_000),
        channel: Cl.none(),
        dest: Cl.stringAscii(to),
        "max-fee-sats": Cl.uint(20_000),
      });
      const toVault = await reported(await passed("loop-out", loop(dest)), relay);
      expect(toVault.outcome).toBe("success");
      await until("the sweep to reach the vault", async () => {
        const txs = await stack.lightning.bitcoin.rpc
          .call<unknown[]>("searchrawtransactions", [dest, 1, 0, 10, 0, false])
          .catch(() => []);
        return txs.length > 0;
      });
      const elsewhere = await reported(await passed("loop-out", loop(FOREIGN)), relay);
      expect([elsewhere.outcome, elsewhere.failure_code]).toEqual(["failure", 403]);
    } finally {
      await stopped(relay);
    }
  });

  it("audits the money trail clean, then reports a vault spend made by hand with both keys", async () => {
    await stack.lightning.mine(1);
    const clean = await runLvdao(["audit", "--config", configPath, "--json", "-"]);
    const report = JSON.parse(clean.stdout) as { drifts: { kind: string }[] };
    expect(report.drifts.filter((d) => d.kind.includes("vault"))).toEqual([]);

    const [coin] = await vaultCoins();
    const psbt = buildSpendPsbt({
      keys: KEYS,
      network: "regtest",
      utxos: [coin!],
      outputs: [{ script: bitcoinAddress.toOutputScript(FOREIGN, bitcoinNetwork("regtest")), sats: 100_000n }],
      feeRateSatVb: 2n,
      changeIndex: 20,
    });
    signEveryday(psbt, XPRV.relay);
    signEveryday(psbt, XPRV.cosigner);
    const hand = finalizeSpend(psbt);
    await stack.lightning.bitcoin.rpc.call("sendrawtransaction", [hand.toHex()]);
    await stack.lightning.mine(1);
    const drift = await runLvdao(["audit", "--config", configPath, "--json", "-"]);
    expect(drift.code).toBe(3);
    const drifts = (JSON.parse(drift.stdout) as { drifts: { kind: string; subject: string }[] }).drifts;
    expect(drifts).toContainEqual(
      expect.objectContaining({ kind: "vault-spend-not-decided", subject: `vault spend ${hand.getId()}` }),
    );
  });

  it("has the co-signer refuse a PSBT whose amount is not the vote's, and one paying a foreign address", async () => {
    // an action queued and claimed by the relay's principal, with no relay running to fund it
    const id = await passed("channel-open", channelOpenTuple(500_000));
    await send(stack.devnet, "wallet_6", "execution-queue", "claim", [Cl.uint(id)]);
    const coins = await vaultCoins();
    const channelScript = Uint8Array.from(Buffer.from(`0020${"ab".repeat(32)}`, "hex"));
    const foreign = bitcoinAddress.toOutputScript(FOREIGN, bitcoinNetwork("regtest"));
    const cases = [
      { name: "amount-mismatch", outputs: [{ script: channelScript, sats: 500_001n }] },
      {
        name: "foreign-output",
        outputs: [
          { script: channelScript, sats: 500_000n },
          { script: foreign, sats: 10_000n },
        ],
      },
    ];
    for (const c of cases) {
      const psbt = buildSpendPsbt({
        keys: KEYS,
        network: "regtest",
        utxos: coins,
        outputs: c.outputs,
        feeRateSatVb: 2n,
        changeIndex: 3,
      });
      signEveryday(psbt, XPRV.relay);
      const response = await fetch(`${cosignerUrl}/sign`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ actionId: id.toString(), psbt: psbt.toBase64() }),
      });
      const body = (await response.json()) as { error?: string; psbt?: string };
      expect([response.status, body.error, body.psbt]).toEqual([expect.any(Number), c.name, undefined]);
      expect(response.status >= 400 && response.status < 500).toBe(true);
      expect(await cosignerCounter("lvdao_cosigner_refused_total", `reason="${c.name}"`)).toBe(1);
    }
    expect(await cosignerCounter("lvdao_cosigner_signed_total", 'kind="channel-open"')).toBe(2);
  });

  for (const path of ["recovery", "last-resort"] as const) {
    it(`spends through the ${path} path only once its timelock has passed`, async () => {
      const older = path === "recovery" ? KEYS.recoveryOlder : KEYS.lastResortOlder;
      const dest = JSON.parse(await lvdao("vault", "address", "--config", configPath, "--json")).address as string;
      await sendCoins({ lnd: stack.lightning.lnd.dao, address: dest, sats: 300_000, label: `for the ${path} path` });
      await stack.lightning.mine(1);
      const coin = await until("the deposit as a vault coin", async () =>
        (await vaultCoins()).find((c) => c.sats === 300_000n),
      );
      const build = path === "recovery" ? buildRecoveryPsbt : buildLastResortPsbt;
      const sweep = () => {
        const psbt: Psbt = build({
          keys: KEYS,
          network: "regtest",
          utxos: [coin],
          destination: bitcoinAddress.toOutputScript(FOREIGN, bitcoinNetwork("regtest")),
          feeRateSatVb: 2n,
        });
        if (path === "recovery") {
          signVault(psbt, XPRV.guardian0);
          signVault(psbt, XPRV.guardian2);
        } else signVault(psbt, XPRV.lastResort);
        return finalizeSpend(psbt).toHex();
      };
      // older(N): the next block may spend the coin once it has N confirmations (BIP 68); no background mining
      await stack.setMining(false);
      try {
        const confirmations = async () =>
          (await stack.lightning.bitcoin.rpc.call<{ confirmations: number }>("getrawtransaction", [coin.txid, 1]))
            .confirmations;
        await expect(stack.lightning.bitcoin.rpc.call("sendrawtransaction", [sweep()])).rejects.toThrow(
          /BIP68|sequence lock|non-final/i,
        );
        await stack.lightning.mine(older - 1 - (await confirmations()));
        expect(await confirmations()).toBe(older - 1);
        await expect(stack.lightning.bitcoin.rpc.call("sendrawtransaction", [sweep()])).rejects.toThrow(
          /BIP68|sequence lock|non-final/i,
        );
        await stack.lightning.mine(1);
        const txid = await stack.lightning.bitcoin.rpc.call<string>("sendrawtransaction", [sweep()]);
        expect(txid).toMatch(/^[0-9a-f]{64}$/);
        await stack.lightning.mine(1);
        expect((await rawTx(txid)).ins.map(outpointOf)).toEqual([`${coin.txid}:${coin.vout}`]);
      } finally {
        await stack.setMining(true);
      }
    });
  }
});
