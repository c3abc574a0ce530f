// Binds the executor's daemon ports to the configured daemons. A daemon missing from the config leaves its port
// unbound: actions that need it fail with a clear error instead of the relay refusing to start.
import type { RelayConfig } from "../config.ts";
import type { Daemons } from "../executor/context.ts";
import type { Logger } from "../log.ts";
import { LightningLnd } from "./lnd.ts";
import { LoopRest } from "./loop.ts";
import { TapdWallet } from "./tapd.ts";

export async function bindDaemons(config: RelayConfig, log: Logger): Promise<Daemons> {
  const tapd: Daemons["tapd"] = {};
  const bySocket = new Map<string, TapdWallet>();
  for (const [wallet, connection] of Object.entries(config.lvWallets)) {
    if (!connection) continue;
    const client = bySocket.get(connection.socket) ?? TapdWallet.connect(connection);
    bySocket.set(connection.socket, client);
    tapd[wallet as keyof typeof config.lvWallets] = client;
  }
  const daemons: Daemons = {
    lnd: config.lnd ? LightningLnd.connect(config.lnd) : undefined,
    loop: config.loop ? LoopRest.connect(config.loop) : undefined,
    tapd,
  };
  log.info("daemons bound", { lnd: config.lnd?.socket ?? "not configured", loop: config.loop?.restUrl ?? "not configured", tapd_wallets: Object.keys(tapd) });
  return daemons;
}
