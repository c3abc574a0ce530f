// `npm start`: lvdao's whole local network on one machine. Starts the Stacks node emulation with the contracts
// published and bootstrapped from the devnet plan, then each registered step (Lightning, relay, web app), prints a
// summary, and stops everything in reverse order on Ctrl-C.
import { ConfigError, START_HELP, parseStartConfig } from "./config.ts";
import { startDevnet } from "./index.ts";
import { readDemoTargets } from "./demo-targets.ts";
import { seedDemo, type SeededProposal } from "./seed-demo.ts";
import type { LightningStack } from "../lightning/connection/stack-file.ts";
import { lightningStep, moduleStep, type StartStep, type StartedStep } from "./start-steps.ts";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { LIGHTNING_CONTROL_FILE, startLightningControl } from "./lightning-control.ts";

const progress = (line: string): void => console.log(`[start] ${line}`);

async function main(): Promise<void> {
  const config = parseStartConfig(process.argv.slice(2), process.env, process.cwd());
  if (config.help) {
    console.log(START_HELP);
    return;
  }
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    progress(`${signal}: stopping`);
    for (const { name, stop } of stops.reverse()) {
      try {
        await stop();
        progress(`stopped ${name}`);
      } catch (error) {
        progress(`stopping ${name} failed: ${(error as Error).message}`);
      }
    }
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  progress(`Stacks node emulation: loading ${config.projectDir}`);
  const devnet = await startDevnet({
    projectDir: config.projectDir,
    host: config.host,
    port: config.port,
    blockTimeMs: config.blockTimeMs,
    burnBlockTimeMs: config.burnBlockTimeMs,
    observers: config.observers,
    progress,
  });
  stops.push({ name: "Stacks node emulation", stop: devnet.stop });
  progress(`Stacks node emulation: listening on ${devnet.url}`);

  const steps: StartStep[] = [
    ...(config.lightning === "none" ? [] : [lightningStep(config.lightning)]),
    ...(config.relay ? [moduleStep("relay", "relay/devnet-step.ts")] : []),
    moduleStep("web app", "web/devnet-step.ts"),
  ];
  const services: Record<string, unknown> = { stacksApi: devnet.url };
  const summary: string[] = [];
  if (!config.relay)
    summary.push(
      "relay: not started (--no-relay); the devnet enables wallet_6 as the relay, so run yours with its key",
    );
  for (const step of steps) {
    progress(`${step.name}: starting`);
    const started = await step.start({
      devnet,
      services,
      progress,
      ...(config.lightningBlockTimeMs === undefined ? {} : { lightningBlockTimeMs: config.lightningBlockTimeMs }),
    });
    if ("unavailable" in started) {
      summary.push(`${step.name}: not running (${started.unavailable})`);
      progress(`${step.name}: not available (${started.unavailable})`);
      continue;
    }
    const { stop, summary: lines, services: provided } = started as StartedStep;
    stops.push({ name: step.name, stop });
    Object.assign(services, provided ?? {});
    summary.push(...lines.map((line) => `${step.name}: ${line}`));
    const lightning = provided?.lightning as { mode?: string; mine?: (blocks: number) => Promise<unknown> } | undefined;
    if (lightning?.mine) {
      mkdirSync(dirname(LIGHTNING_CONTROL_FILE), { recursive: true });
      const control = await startLightningControl(lightning.mine, lightning.mode ?? "lightning");
      stops.push({ name: "Lightning mining control", stop: control.stop });
      summary.push(`${step.name}: mine now: npm run regtest:mine -- N   (N blocks on this stack)`);
    }
  }

  // Seeded last, with the relay already running and the Lightning side up: the demo's channel, fee-policy and
  // watchtower proposals name that stack's real peer, channel and tower, and the relay carries them out.
  let seeded: SeededProposal[] = [];
  if (config.seedDemo) {
    const stack = (services.lightning as { stack?: LightningStack } | undefined)?.stack ?? null;
    // A Lightning side whose targets cannot be read still gets the chain proposals, which need none of it.
    const targets = stack
      ? await readDemoTargets(stack).catch((error: Error) => {
          progress(
            `seed-demo: no Lightning proposals, the running stack's targets could not be read: ${error.message}`,
          );
          return null;
        })
      : null;
    seeded = await seedDemo(devnet, progress, targets);
  }

  console.log("\nlvdao local network is up\n");
  console.log(`  Stacks node RPC + API   ${devnet.url}   (network: devnet, chain id 0x80000000)`);
  console.log(
    `  blocks                  a Stacks block every ${config.blockTimeMs} ms while transactions wait; ` +
      `burn block every ${config.burnBlockTimeMs} ms${config.fast ? " (--fast)" : ""}`,
  );
  const mineUrl = devnet.url === "http://127.0.0.1:3999" ? "" : ` --url ${devnet.url}`;
  console.log(`  mine now                npm run devnet:mine -- N${mineUrl}   (N burn blocks, e.g. 144 to end a vote)`);
  console.log(`  tip                     Stacks ${devnet.chain.tip.height}, burn ${devnet.chain.burnTip.height}`);
  console.log("  accounts (settings/Devnet.toml; public test keys, never use them for real funds):");
  for (const account of devnet.accounts) console.log(`    ${account.name.padEnd(10)} ${account.address}`);
  for (const line of summary) console.log(`  ${line}`);
  if (seeded.length) {
    console.log("  demo proposals (--seed-demo):");
    for (const p of seeded)
      console.log(`    ${String(p.id).padStart(2)} ${p.status.padEnd(9)} ${p.kind.padEnd(13)} ${p.title}`);
    if (seeded.some((p) => p.status === "queued"))
      console.log("    (queued ones are the relay's: they read executed once its receipt is mined)");
    else if (!seeded.some((p) => p.kind === "channel-open"))
      console.log("    (no Lightning side to aim at: the channel, fee-policy and watchtower proposals were left out)");
  }
  console.log("\nCtrl-C stops everything.");
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `start failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
