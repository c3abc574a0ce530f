// The one validated configuration of `npm start`: command-line options, with LVDAO_* environment variables as
// defaults. Nothing else in offchain/devnet reads process.env or process.argv.
import { parseArgs } from "node:util";

export interface StartConfig {
  projectDir: string;
  host: string;
  port: number;
  blockTimeMs: number;
  burnBlockTimeMs: number;
  observers: string[];
  lightning: "auto" | "simulators" | "none";
  seedDemo: boolean;
  help: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const START_HELP = `Usage: npm start -- [options]

Brings up lvdao's local network: the Stacks node emulation (contracts published from the devnet plan and
bootstrapped), the Lightning side, and the relay and web app steps that are registered.

Options (environment variable in brackets):
  --port <n>               Stacks node emulation port [LVDAO_DEVNET_PORT] (default 3999)
  --host <addr>            listen address [LVDAO_DEVNET_HOST] (default 127.0.0.1)
  --block-time <ms>        Stacks block interval while transactions wait [LVDAO_BLOCK_TIME_MS] (default 1000)
  --burn-block-time <ms>   burn block interval, 0 = only on demand [LVDAO_BURN_BLOCK_TIME_MS] (default 10000)
  --observer <url>         event observer base URL, repeatable [LVDAO_OBSERVERS, comma separated]
  --project <dir>          Clarinet project to load [LVDAO_PROJECT_DIR] (default: current directory)
  --no-lightning           do not start the Lightning side
  --simulators             use the lnd/tapd/loopd simulators even when the real regtest binaries are built
  --seed-demo              create demo proposals in different states through signed transactions
  -h, --help               this text
`;

function intOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === "") return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return Number(text);
}

export function parseStartConfig(argv: string[], env: NodeJS.ProcessEnv, cwd: string): StartConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "block-time": { type: "string" },
        "burn-block-time": { type: "string" },
        observer: { type: "string", multiple: true },
        project: { type: "string" },
        "no-lightning": { type: "boolean" },
        simulators: { type: "boolean" },
        "seed-demo": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (cause) {
    throw new ConfigError(`${(cause as Error).message}\n\n${START_HELP}`);
  }
  const observers = values.observer ?? (env.LVDAO_OBSERVERS ? env.LVDAO_OBSERVERS.split(",").filter(Boolean) : []);
  for (const url of observers) {
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new ConfigError(`observer must be an http(s) URL, got "${url}"`);
  }
  if (values["no-lightning"] && values.simulators)
    throw new ConfigError("--no-lightning and --simulators contradict each other");
  return {
    projectDir: values.project ?? env.LVDAO_PROJECT_DIR ?? cwd,
    host: values.host ?? env.LVDAO_DEVNET_HOST ?? "127.0.0.1",
    port: intOption("--port", values.port ?? env.LVDAO_DEVNET_PORT, 3999, 0, 65535),
    blockTimeMs: intOption("--block-time", values["block-time"] ?? env.LVDAO_BLOCK_TIME_MS, 1000, 0, 3_600_000),
    burnBlockTimeMs: intOption(
      "--burn-block-time",
      values["burn-block-time"] ?? env.LVDAO_BURN_BLOCK_TIME_MS,
      10_000,
      0,
      86_400_000,
    ),
    observers,
    lightning: values["no-lightning"] ? "none" : values.simulators ? "simulators" : "auto",
    seedDemo: values["seed-demo"] ?? false,
    help: values.help ?? false,
  };
}
