// npm start's Lightning mining control, so that `npm run regtest:mine -- N` mines on whichever stack runs: npm start
// serves POST /mine on a loopback port for its Lightning step's chain (the simulators' or its real regtest btcd) and
// writes where in `.lvdao/devnet/lightning.json` (git-ignored, removed at stop). offchain/regtest/scripts/mine.ts
// reads it, and falls back to regtest:up's nodes.json.
import { rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

export const LIGHTNING_CONTROL_FILE = fileURLToPath(new URL("../../.lvdao/devnet/lightning.json", import.meta.url));
export const MAX_BLOCKS = 9999;

export interface LightningControl {
  url: string;
  stop(): Promise<void>;
}

/** Serves POST /mine {"blocks": n} -> {"mined": n} with `mine`, and records the URL in `file`. */
export async function startLightningControl(
  mine: (blocks: number) => Promise<unknown>,
  mode: string,
  file = LIGHTNING_CONTROL_FILE,
): Promise<LightningControl> {
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    if (req.method !== "POST" || req.url !== "/mine") return answer(404, { error: "POST /mine only" });
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      let blocks: unknown;
      try {
        blocks = (JSON.parse(text) as { blocks?: unknown }).blocks;
      } catch {
        blocks = undefined;
      }
      if (!Number.isSafeInteger(blocks) || (blocks as number) < 1 || (blocks as number) > MAX_BLOCKS)
        return answer(400, { error: `blocks must be an integer from 1 to ${MAX_BLOCKS}` });
      Promise.resolve()
        .then(() => mine(blocks as number))
        .then(
          () => answer(200, { mined: blocks, mode }),
          (error: Error) => answer(500, { error: error.message }),
        );
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(file, `${JSON.stringify({ url, mode })}\n`);
  return {
    url,
    async stop() {
      rmSync(file, { force: true });
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
