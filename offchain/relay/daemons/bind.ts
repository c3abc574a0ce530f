// Binds the relay's daemon ports once, from the relay config: the executor, the monitors and `lvdao audit` all use
// what this returns. A daemon missing from the config leaves its port unbound: actions that need it fail with a
// clear error and the monitors that need it do not start, instead of the relay refusing to start. Wallets on one
// tapd node share one connection.
import { WALLETS, type RelayConfig } from "../config.ts";
import type { Logger } from "../log.ts";
import { LightningLnd } from "./lnd.ts";
import { LoopRest } from "./loop.ts";
import type { Daemons } from "./ports.ts";
import { TapdNode } from "./tapd.ts";

export function bindDaemons(config: Pick<RelayConfig, "lnd" | "loop" | "lvWallets">, log?: Logger): Daemons {
  const tapd: Daemons["tapd"] = {};
  const bySocket = new Map<string, TapdNode>();
  for (const wallet of WALLETS) {
    const connection = config.lvWallets[wallet];
    if (!connection) continue;
    const node = bySocket.get(connection.socket) ?? TapdNode.connect(connection);
    bySocket.set(connection.socket, node);
    tapd[wallet] = node;
  }
  const lnd = config.lnd ? LightningLnd.connect(config.lnd) : undefined;
  log?.info("daemons bound", {
    lnd: config.lnd?.socket ?? "not configured",
    loop: config.loop?.restUrl ?? "not configured",
    tapd_wallets: Object.keys(tapd),
  });
  const deskTapd = config.lvWallets.operations ? bySocket.get(config.lvWallets.operations.socket) : undefined;
  return {
    lnd,
    ...(lnd && deskTapd ? { desk: { lnd, tapd: deskTapd } } : {}),
    loop: config.loop ? LoopRest.connect(config.loop) : undefined,
    tapd,
    close() {
      lnd?.close();
      for (const node of bySocket.values()) node.close();
    },
  };
}
