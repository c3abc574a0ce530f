// `npm run regtest:mine -- <blocks>`: mines blocks on the running regtest stack's btcd (to its faucet address).
import { readLightningStack } from "../../lightning/index.ts";
import { BtcdRpc } from "../harness/bitcoin/rpc.ts";
import { STACK_FILE } from "./stack-state.ts";

async function main() {
  const arg = process.argv[2] ?? "1";
  if (!/^\d{1,4}$/.test(arg) || Number(arg) < 1) {
    console.error(
      `regtest:mine: the number of blocks must be a positive integer up to 9999, got ${JSON.stringify(arg)}`,
    );
    process.exit(2);
  }
  const stack = readLightningStack(STACK_FILE);
  if (stack.mode !== "regtest") {
    console.error(`regtest:mine: ${STACK_FILE} describes a ${stack.mode} stack, not regtest:up's`);
    process.exit(1);
  }
  const bitcoin = stack.bitcoin as Record<string, unknown>;
  const text = (key: string) => {
    if (typeof bitcoin[key] !== "string") throw new Error(`${STACK_FILE}: bitcoin.${key} is missing`);
    return bitcoin[key] as string;
  };
  const rpc = new BtcdRpc({
    host: text("rpc_host"),
    user: text("rpc_user"),
    passwordPath: text("rpc_password_path"),
    certPath: text("rpc_cert_path"),
  });
  const hashes = await rpc.call<string[]>("generate", [Number(arg)], 120_000);
  const height = await rpc.call<number>("getblockcount");
  console.log(`regtest:mine: mined ${hashes.length} block(s); height ${height}, tip ${hashes.at(-1)}`);
}

main().catch((error) => {
  console.error(`regtest:mine failed: ${(error as Error).message}`);
  process.exit(1);
});
