// The web app's step of `npm start` (see offchain/devnet/start-steps.ts): builds the app with Vite, serves it on
// loopback with a /config.json that points it at the node emulation, and prints its URL.
import type { StartedStep, StepContext } from "../devnet/start-steps.ts";
import { buildWebApp } from "./server/build.ts";
import { readWebOptions } from "./server/options.ts";
import { startStaticServer, type StaticServer } from "./server/static-server.ts";

export async function startDevnetStep(context: StepContext): Promise<StartedStep> {
  const options = readWebOptions(process.env);
  context.progress("web app: building with vite");
  const { outDir, ms } = await buildWebApp();
  context.progress(`web app: built in ${ms} ms`);

  // A node listening on every interface is still reached by the browser on loopback (its CORS allows loopback).
  const nodeUrl = context.devnet.url.replace("//0.0.0.0:", "//127.0.0.1:");
  // The relay step ran before this one; its status server publishes the node's channels (GET /channels).
  const relay = context.services.relay as { statusUrl?: string } | undefined;
  // The devnet's public test accounts go to the app's account picker (devnet only; never real funds).
  const devnetAccounts = context.devnet.accounts.map(({ name, address, privateKey }) => ({
    name,
    address,
    privateKey,
  }));
  const appConfig = {
    nodeUrl,
    deployer: context.devnet.account("deployer").address,
    network: "devnet" as const,
    ...(relay?.statusUrl ? { relayUrl: relay.statusUrl } : {}),
    devnetAccounts,
  };
  let server: StaticServer;
  try {
    server = await startStaticServer({ dir: outDir, host: options.host, port: options.port, appConfig });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || options.portGiven) throw error;
    context.progress(`web app: port ${options.port} is busy; using a free port (set LVDAO_WEB_PORT to choose one)`);
    server = await startStaticServer({ dir: outDir, host: options.host, port: 0, appConfig });
  }
  return {
    summary: [`${server.url}   (members' app on ${nodeUrl}; wallets: see offchain/web/README.md)`],
    services: { webApp: server.url },
    stop: server.stop,
  };
}
