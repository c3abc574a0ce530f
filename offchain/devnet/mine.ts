// `npm run devnet:mine -- N`: mines the waiting transactions and N burn blocks on a running `npm start` devnet,
// through the node emulation's control route (POST /devnet/mine), so a proposal's voting delay, voting period or
// timelock can be run through at once. Nothing listening, or a server that is not lvdao's emulation, is a clear
// error rather than a stack trace.
import { pathToFileURL } from "node:url";
import type { DevnetMineResponse } from "./api-types.ts";
import { ConfigError, MINE_HELP, parseMineConfig, type MineConfig } from "./config.ts";

export class MineError extends Error {
  override name = "MineError";
}

export async function mineOnDevnet(config: Pick<MineConfig, "url" | "burnBlocks">): Promise<DevnetMineResponse> {
  let response: Response;
  try {
    response = await fetch(`${config.url}/devnet/mine`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ burn: config.burnBlocks }),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new MineError(
      `no devnet is running at ${config.url} (${code}); start one with \`npm start\`, ` +
        "or point --url or LVDAO_DEVNET_PORT at it",
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status === 404 || response.status === 405)
    throw new MineError(`${config.url} answered ${response.status} to POST /devnet/mine: it is not lvdao's devnet`);
  if (!response.ok) {
    const message = (body as { message?: unknown } | undefined)?.message ?? text.slice(0, 200);
    throw new MineError(`${config.url} refused to mine: HTTP ${response.status} ${String(message)}`);
  }
  const mined = body as DevnetMineResponse | undefined;
  if (typeof mined?.burn_block_height !== "number" || typeof mined.stacks_tip?.height !== "number")
    throw new MineError(`${config.url} answered POST /devnet/mine without a burn height: it is not lvdao's devnet`);
  return mined;
}

async function main(): Promise<number> {
  let config: MineConfig;
  try {
    config = parseMineConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`devnet:mine: ${error.message}`);
    return 2;
  }
  if (config.help) {
    console.log(MINE_HELP);
    return 0;
  }
  try {
    const mined = await mineOnDevnet(config);
    console.log(
      `devnet:mine: mined ${config.burnBlocks} burn block(s) at ${config.url}; ` +
        `burn height ${mined.burn_block_height}, ` +
        `Stacks tip ${mined.stacks_tip.height}, ${mined.mempool_size} transaction(s) still waiting`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof MineError)) throw error;
    console.error(`devnet:mine: ${error.message}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`devnet:mine failed: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}
