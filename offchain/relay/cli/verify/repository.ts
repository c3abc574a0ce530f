// What this repository deploys, for verify-deployment: every contract that Clarinet.toml or a deployment plan
// (deployments/default.*-plan.yaml) publishes, with its source bytes and hash; the bootstraps (whatever each plan's
// lvdao-core.construct runs: lvdao-bootstrap in the simnet/devnet plan, lvdao-bootstrap-production in the testnet
// and mainnet plans); the extensions each bootstrap enables; and every dao-settings key with its bounds.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { codeHash } from "../../../actions/code-hash.ts";
import { readPlan, type PlanTransaction } from "../../../deploy/plan.ts";
import { findCalls, readForms, readOnlyFunctions } from "./clarity-forms.ts";
import { readSettingsSource, type RepositorySetting } from "./settings-source.ts";

export const CORE = "lvdao-core";
export const SETTINGS_CONTRACT = "dao-settings";

export interface RepositoryContract {
  name: string;
  /** relative to the repository */
  path: string;
  source: Buffer;
  /** SHA-512/256 of the source, hex: what Clarity 4 `contract-hash?` returns for it once deployed */
  hash: string;
}

export interface RepositoryBootstrap {
  name: string;
  /** the contracts of the same deployer (`.name`) its execute enables, in order */
  enables: string[];
  /** the principals written out in full (`'SP...`) it enables */
  enablesPrincipals: string[];
  /** read-only functions it defines (get-configuration tells whether it is sealed and executed) */
  reads: string[];
}

export interface Repository {
  root: string;
  /** in the simnet plan's order, then any only another plan or Clarinet.toml names */
  contracts: RepositoryContract[];
  bootstraps: RepositoryBootstrap[];
  settings: RepositorySetting[];
}

export async function readRepository(root: string): Promise<Repository> {
  const paths = new Map<string, { path: string; from: string }>();
  const name = (contract: string, path: string, from: string): void => {
    const known = paths.get(contract);
    if (known && known.path !== path)
      throw new Error(`${from} publishes ${contract} from ${path}, but ${known.from} from ${known.path}`);
    if (!known) paths.set(contract, { path, from });
  };
  const plans = readdirSync(join(root, "deployments"))
    .filter((file) => /^default\.[a-z]+-plan\.yaml$/.test(file))
    .sort((a, b) => Number(b.includes("simnet")) - Number(a.includes("simnet")) || a.localeCompare(b));
  const bootstrapNames: string[] = [];
  for (const file of plans) {
    const plan = await readPlan(join(root, "deployments", file));
    for (const tx of plan.plan.batches.flatMap((batch) => batch.transactions)) {
      if ("path" in tx) name(tx["contract-name"], tx.path, `deployments/${file}`);
      const bootstrap = constructed(tx);
      if (bootstrap && !bootstrapNames.includes(bootstrap)) bootstrapNames.push(bootstrap);
    }
  }
  const manifest = parseToml(readFileSync(join(root, "Clarinet.toml"), "utf8")) as {
    contracts?: Record<string, { path?: unknown }>;
  };
  for (const [contract, entry] of Object.entries(manifest.contracts ?? {})) {
    if (typeof entry.path === "string") name(contract, entry.path, "Clarinet.toml");
  }

  const contracts = [...paths].map(([contract, { path }]) => {
    const source = readFileSync(join(root, path));
    return { name: contract, path, source, hash: codeHash(source.toString("utf8")) };
  });
  const sourceOf = (contract: string): string => {
    const found = contracts.find((c) => c.name === contract);
    if (!found) throw new Error(`the repository has no ${contract} contract (Clarinet.toml, deployments/)`);
    return found.source.toString("utf8");
  };
  return {
    root,
    contracts,
    bootstraps: bootstrapNames.map((bootstrap) => ({ name: bootstrap, ...readBootstrap(sourceOf(bootstrap)) })),
    settings: readSettingsSource(sourceOf(SETTINGS_CONTRACT)),
  };
}

/** The bootstrap a plan transaction runs when it is `lvdao-core.construct`. */
function constructed(tx: PlanTransaction): string | undefined {
  if (!("method" in tx) || tx.method !== "construct" || !tx["contract-id"].endsWith(`.${CORE}`)) return undefined;
  return tx.parameters[0]?.split(".")[1];
}

/** The extensions a bootstrap's source enables: each `(contract-call? .lvdao-core set-extension <p> true)`, in order. */
export function readBootstrap(source: string): Omit<RepositoryBootstrap, "name"> {
  const forms = readForms(source);
  const enabled = new Set<string>();
  for (const items of findCalls(forms, "contract-call?")) {
    const [, target, fn, principal, flag] = items;
    if (
      target?.type !== "atom" ||
      target.text !== `.${CORE}` ||
      fn?.type !== "atom" ||
      fn.text !== "set-extension" ||
      principal?.type !== "atom"
    )
      continue;
    if (flag?.type === "atom" && flag.text === "true") enabled.add(principal.text);
    else if (flag?.type === "atom" && flag.text === "false") enabled.delete(principal.text);
  }
  const written = [...enabled];
  return {
    enables: written.filter((p) => p.startsWith(".")).map((p) => p.slice(1)),
    enablesPrincipals: written.filter((p) => !p.startsWith(".")).map((p) => p.replace(/^'/, "")),
    reads: readOnlyFunctions(forms),
  };
}
