// What is deployed under a deployer, read through the Stacks API for everything the repository names: each
// contract's source, lvdao-core's construct state, the bootstrap that ran (and its sealed configuration when it has
// a read for it), is-extension for every repository contract, lvdao-core's extension-set events when the API serves
// contract logs, and get-setting-bounds for every dao-settings key. Reads only; compare.ts judges.
import { Cl } from "@stacks/transactions";
import { codeHash } from "../../../actions/code-hash.ts";
import { contractEvents } from "../audit/decisions.ts";
import type { DeploymentApi, ReadResult } from "./node-api.ts";
import { CORE, SETTINGS_CONTRACT, type Repository, type RepositoryBootstrap } from "./repository.ts";

export interface DeployedContract {
  source: Buffer;
  /** SHA-512/256 of the source as served */
  hash: string;
  publishHeight: number;
}

export interface ExtensionEvent {
  extension: string;
  enabled: boolean;
  txid: string;
}

export interface DeployedState {
  stacksHeight: number;
  /** by repository contract name; undefined when nothing is deployed under that name */
  contracts: Map<string, DeployedContract | undefined>;
  /** the bootstrap checked: the deployed one (the one lvdao-core executed when several are) */
  bootstrap: RepositoryBootstrap | undefined;
  constructed: ReadResult;
  /** lvdao-core.executed-at for each deployed bootstrap */
  executedAt: Map<string, ReadResult>;
  /** the bootstrap's get-configuration, when it defines one */
  configuration: ReadResult | undefined;
  /** lvdao-core.is-extension by principal; undefined when lvdao-core is not deployed */
  extensions: Map<string, ReadResult> | undefined;
  /** lvdao-core's extension-set events, oldest first; undefined when the API serves no contract logs */
  extensionEvents: ExtensionEvent[] | undefined;
  /** dao-settings.get-setting-bounds by key; undefined when dao-settings is not deployed */
  settings: Map<string, ReadResult> | undefined;
}

const PARALLEL_READS = 6;

export async function readDeployment(
  api: DeploymentApi,
  deployer: string,
  repo: Repository,
  progress: (line: string) => void = () => undefined,
): Promise<DeployedState> {
  const { stacksHeight } = await api.info();
  const id = (name: string): string => `${deployer}.${name}`;

  const contracts = new Map<string, DeployedContract | undefined>();
  for (const [index, contract] of repo.contracts.entries()) {
    const found = await api.contractSource(id(contract.name));
    contracts.set(
      contract.name,
      found && {
        source: Buffer.from(found.source, "utf8"),
        hash: codeHash(found.source),
        publishHeight: found.publishHeight,
      },
    );
    const state = found
      ? `published at height ${found.publishHeight}, ${Buffer.byteLength(found.source)} bytes`
      : "not deployed";
    progress(`[${index + 1}/${repo.contracts.length}] ${contract.name}: ${state}`);
  }

  const core = id(CORE);
  const constructed = await api.readOnly(core, "is-constructed", []);
  const executedAt = new Map<string, ReadResult>();
  for (const bootstrap of repo.bootstraps.filter((b) => contracts.get(b.name))) {
    executedAt.set(
      bootstrap.name,
      await api.readOnly(core, "executed-at", [Cl.contractPrincipal(deployer, bootstrap.name)]),
    );
  }
  const bootstrap = chooseBootstrap(repo.bootstraps, executedAt);
  const configuration = bootstrap?.reads.includes("get-configuration")
    ? await api.readOnly(id(bootstrap.name), "get-configuration", [])
    : undefined;

  let extensions: DeployedState["extensions"];
  let extensionEvents: DeployedState["extensionEvents"];
  if (contracts.get(CORE)) {
    const principals = [...repo.contracts.map((c) => id(c.name)), ...(bootstrap?.enablesPrincipals ?? [])];
    progress(`extensions: reading lvdao-core.is-extension for ${principals.length} principals`);
    extensions = new Map(
      await inParallel(
        principals,
        async (p) => [p, await api.readOnly(core, "is-extension", [Cl.principal(p)])] as const,
      ),
    );
    extensionEvents = await readExtensionEvents(api, core);
  }

  let settings: DeployedState["settings"];
  if (contracts.get(SETTINGS_CONTRACT)) {
    progress(`settings: reading ${repo.settings.length} keys from dao-settings.get-setting-bounds`);
    settings = new Map(
      await inParallel(
        repo.settings,
        async (s) =>
          [s.key, await api.readOnly(id(SETTINGS_CONTRACT), "get-setting-bounds", [Cl.stringAscii(s.key)])] as const,
      ),
    );
  }
  return {
    stacksHeight,
    contracts,
    bootstrap,
    constructed,
    executedAt,
    configuration,
    extensions,
    extensionEvents,
    settings,
  };
}

/** The deployed bootstrap (one with an executed-at read); when several are deployed, the one lvdao-core ran. */
export function chooseBootstrap(
  bootstraps: RepositoryBootstrap[],
  executedAt: Map<string, ReadResult>,
): RepositoryBootstrap | undefined {
  const deployed = bootstraps.filter((b) => executedAt.has(b.name));
  const ran = deployed.find((b) => {
    const read = executedAt.get(b.name);
    return read?.ok === true && read.value.type === "some";
  });
  return ran ?? deployed[0];
}

async function readExtensionEvents(api: DeploymentApi, core: string): Promise<ExtensionEvent[] | undefined> {
  // A 404 on the first page means the API has no logs route (or no such contract): say so rather than "no events".
  const probe = await api.getJson<{ total?: number }>(`${api.url}/extended/v2/smart-contracts/${core}/logs?limit=1`);
  if (probe === undefined) return undefined;
  const events = await contractEvents(api, api.url, core);
  return events
    .filter((event) => event.topic === "extension-set")
    .map((event) => ({
      extension: event.fields.principal("extension"),
      enabled: event.fields.bool("enabled"),
      txid: event.txid,
    }));
}

async function inParallel<T, R>(items: T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await read(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, items.length) }, worker));
  return out;
}
