// The one validated configuration of `npm start` and `npm run devnet:mine`: command-line options, with LVDAO_*
// environment variables as defaults. Nothing else in offchain/devnet reads process.env or process.argv.
import { parseArgs } from "node:util";

export interface StartConfig {
  projectDir: string;
  host: string;
  port: number;
  blockTimeMs: number;
  burnBlockTimeMs: number;
  /** The Lightning side's block interval; undefined leaves the step's own default (10 s). */
  lightningBlockTimeMs: number | undefined;
  observers: string[];
  lightning: "auto" | "simulators" | "none";
  /** Start the built-in relay; false with --no-relay, to run one as its own process (`lvdao relay start`). */
  relay: boolean;
  seedDemo: boolean;
  fast: boolean;
  help: boolean;
}

/**
 * `--fast`: the same contracts and settings, on a faster clock. Every window of the DAO is counted in burn blocks
 * (voting delay 6, voting period 144, timelocks 6 and 12), so a burn block a second lets a quadratic proposal pass
 * in about two and a half minutes instead of 25; no setting leaves its on-chain bounds.
 */
export const FAST_PRESET = { blockTimeMs: 200, burnBlockTimeMs: 1000, lightningBlockTimeMs: 2000 } as const;

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
  --no-relay               do not start the built-in relay (run your own against this network: docs/operations.md)
  --seed-demo              create demo proposals in different states through signed transactions
  --fast                   a faster clock for watching proposals pass: a burn block every 1 s, a Stacks block every
                           200 ms while transactions wait, a Lightning block every 2 s (explicit times still win)
  -h, --help               this text
`;

function intOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === "") return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return Number(text);
}

/** Runs parseArgs, turning its refusal into a ConfigError that ends with the usage text. */
function explained<T>(parse: () => T): T {
  try {
    return parse();
  } catch (cause) {
    throw new ConfigError(`${(cause as Error).message}\n\n${START_HELP}`);
  }
}

export function parseStartConfig(argv: string[], env: NodeJS.ProcessEnv, cwd: string): StartConfig {
  const values = explained(
    () =>
      parseArgs({
        args: argv,
        options: {
          port: { type: "string" },
          host: { type: "string" },
          "block-time": { type: "string" },
          "burn-block-time": { type: "string" },
          observer: { type: "string", multiple: true },
          project: { type: "string" },
          "no-lightning": { type: "boolean" },
          "no-relay": { type: "boolean" },
          simulators: { type: "boolean" },
          "seed-demo": { type: "boolean" },
          fast: { type: "boolean" },
          help: { type: "boolean", short: "h" },
        },
        strict: true,
        allowPositionals: false,
      }).values,
  );
  const observers = values.observer ?? (env.LVDAO_OBSERVERS ? env.LVDAO_OBSERVERS.split(",").filter(Boolean) : []);
  for (const url of observers) {
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new ConfigError(`observer must be an http(s) URL, got "${url}"`);
  }
  const fast = values.fast ?? false;
  if (values["no-lightning"] && values.simulators)
    throw new ConfigError("--no-lightning and --simulators contradict each other");
  return {
    projectDir: values.project ?? env.LVDAO_PROJECT_DIR ?? cwd,
    host: values.host ?? env.LVDAO_DEVNET_HOST ?? "127.0.0.1",
    port: intOption("--port", values.port ?? env.LVDAO_DEVNET_PORT, 3999, 0, 65535),
    blockTimeMs: intOption(
      "--block-time",
      values["block-time"] ?? env.LVDAO_BLOCK_TIME_MS,
      fast ? FAST_PRESET.blockTimeMs : 1000,
      0,
      3_600_000,
    ),
    burnBlockTimeMs: intOption(
      "--burn-block-time",
      values["burn-block-time"] ?? env.LVDAO_BURN_BLOCK_TIME_MS,
      fast ? FAST_PRESET.burnBlockTimeMs : 10_000,
      0,
      86_400_000,
    ),
    lightningBlockTimeMs: fast ? FAST_PRESET.lightningBlockTimeMs : undefined,
    observers,
    lightning: values["no-lightning"] ? "none" : values.simulators ? "simulators" : "auto",
    relay: !values["no-relay"],
    seedDemo: values["seed-demo"] ?? false,
    fast,
    help: values.help ?? false,
  };
}

export interface MineConfig {
  /** The running node emulation's base URL. */
  url: string;
  burnBlocks: number;
  help: boolean;
}

export const MINE_HELP = `Usage: npm run devnet:mine -- [N] [--url <url>]

Mines the waiting transactions, then N burn blocks (default 1, at most 10000), on a running \`npm start\` devnet
through its control route POST /devnet/mine.

Options (environment variable in brackets):
  --url <url>   the node emulation [LVDAO_DEVNET_URL] (default http://127.0.0.1:<LVDAO_DEVNET_PORT or 3999>)
  -h, --help    this text
`;

export function parseMineConfig(argv: string[], env: NodeJS.ProcessEnv): MineConfig {
  const parse = () =>
    parseArgs({
      args: argv,
      options: { url: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (cause) {
    throw new ConfigError(`${(cause as Error).message}\n\n${MINE_HELP}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new ConfigError(`give one number of burn blocks, got ${positionals.join(" ")}`);
  const port = intOption("LVDAO_DEVNET_PORT", env.LVDAO_DEVNET_PORT, 3999, 1, 65535);
  const url = (values.url ?? env.LVDAO_DEVNET_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s/]+$/.test(url))
    throw new ConfigError(`--url must be the node's http(s) base URL, got "${url}"`);
  return {
    url,
    burnBlocks: intOption("the number of burn blocks", positionals[0], 1, 1, 10_000),
    help: values.help ?? false,
  };
}
