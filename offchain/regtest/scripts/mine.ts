// `npm run regtest:mine -- <blocks>`: mines blocks on whichever Lightning stack runs: npm start's (through the mining
// control it records in .lvdao/devnet/lightning.json, for its simulators or its real regtest stack), else
// regtest:up's btcd (offchain/regtest/.state/nodes.json, to its faucet address).
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { LIGHTNING_CONTROL_FILE } from "../../devnet/lightning-control.ts";
import { readLightningStack } from "../../lightning/index.ts";
import { BtcdRpc } from "../harness/bitcoin/rpc.ts";
import { STACK_FILE } from "./stack-state.ts";

export class MineError extends Error {
  override name = "MineError";
}

/** Mines through npm start's control; null when no npm start records one or it no longer answers. */
async function viaControl(blocks: number, controlFile: string): Promise<string | null> {
  if (!existsSync(controlFile)) return null;
  const { url, mode } = JSON.parse(readFileSync(controlFile, "utf8")) as { url: string; mode: string };
  let response: Response;
  try {
    response = await fetch(`${url}/mine`, { method: "POST", body: JSON.stringify({ blocks }) });
  } catch {
    return null; // a stale file: npm start was killed before it could remove it
  }
  const body = (await response.json()) as { error?: string };
  if (!response.ok) throw new MineError(`npm start's Lightning stack refused to mine: ${body.error}`);
  return `mined ${blocks} block(s) on npm start's ${mode} stack`;
}

async function viaBtcd(blocks: number, stackFile: string): Promise<string | null> {
  if (!existsSync(stackFile)) return null;
  const stack = readLightningStack(stackFile);
  if (stack.mode !== "regtest") return null;
  const bitcoin = stack.bitcoin as Record<string, unknown>;
  const text = (key: string) => {
    if (typeof bitcoin[key] !== "string") throw new MineError(`${stackFile}: bitcoin.${key} is missing`);
    return bitcoin[key] as string;
  };
  const rpc = new BtcdRpc({
    host: text("rpc_host"),
    user: text("rpc_user"),
    passwordPath: text("rpc_password_path"),
    certPath: text("rpc_cert_path"),
  });
  const hashes = await rpc.call<string[]>("generate", [blocks], 120_000);
  const height = await rpc.call<number>("getblockcount");
  return `mined ${hashes.length} block(s) on regtest:up's btcd; height ${height}, tip ${hashes.at(-1)}`;
}

/** Mines `blocks` on the running stack and says where; MineError when none runs. */
export async function mineOnRunningStack(
  blocks: number,
  files: { controlFile: string; stackFile: string } = { controlFile: LIGHTNING_CONTROL_FILE, stackFile: STACK_FILE },
): Promise<string> {
  const done = (await viaControl(blocks, files.controlFile)) ?? (await viaBtcd(blocks, files.stackFile));
  if (done === null)
    throw new MineError("no Lightning stack is running: start one with `npm start` or `npm run regtest:up`");
  return done;
}

async function main() {
  const arg = process.argv[2] ?? "1";
  if (!/^\d{1,4}$/.test(arg) || Number(arg) < 1) {
    console.error(
      `regtest:mine: the number of blocks must be a positive integer up to 9999, got ${JSON.stringify(arg)}`,
    );
    process.exit(2);
  }
  console.log(`regtest:mine: ${await mineOnRunningStack(Number(arg))}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  main().catch((error) => {
    console.error(`regtest:mine failed: ${(error as Error).message}`);
    process.exit(1);
  });
