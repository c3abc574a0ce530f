// verify-deployment's judgement, pure: the repository (repository.ts) against what is deployed (deployed.ts), one
// check per line of the report, grouped. What each group expects:
//   contracts   every contract the repository publishes is deployed with the repository's source, byte for byte
//               (so with the same SHA-512/256, what `contract-hash?` returns); of the bootstraps, only the one
//               that ran is deployed
//   bootstrap   lvdao-core is constructed, it executed that bootstrap, and the bootstrap's own configuration read
//               (get-configuration: sealed, executed) says so when it has one
//   extensions  every contract the repository's bootstrap enables is an extension and no other repository contract
//               is; no extension-set event enabled a principal outside that set (only the logs can show one that
//               is not in the repository)
//   settings    every dao-settings key is set, its bounds are the repository's, and its value lies within them
import { cvToString, type ClarityValue } from "@stacks/transactions";
import type { DeployedState } from "./deployed.ts";
import type { ReadResult } from "./node-api.ts";
import { CORE, SETTINGS_CONTRACT, type Repository } from "./repository.ts";

export type CheckGroup = "contracts" | "bootstrap" | "extensions" | "settings";

export interface Check {
  group: CheckGroup;
  /** what is checked: a contract, `lvdao-core is-constructed`, a principal, `dao-settings <key>` */
  subject: string;
  /** "diff" is a difference from the repository; "note" is something the check could not see */
  status: "ok" | "diff" | "note";
  detail: string;
}

export function compare(repo: Repository, deployed: DeployedState, deployer: string): Check[] {
  return [
    ...contractChecks(repo, deployed),
    ...bootstrapChecks(repo, deployed),
    ...extensionChecks(repo, deployed, deployer),
    ...settingChecks(repo, deployed),
  ];
}

export const differences = (checks: Check[]): Check[] => checks.filter((c) => c.status === "diff");

const ok = (group: CheckGroup, subject: string, detail: string): Check => ({ group, subject, status: "ok", detail });
const diff = (group: CheckGroup, subject: string, detail: string): Check => ({
  group,
  subject,
  status: "diff",
  detail,
});
const note = (group: CheckGroup, subject: string, detail: string): Check => ({
  group,
  subject,
  status: "note",
  detail,
});

function contractChecks(repo: Repository, deployed: DeployedState): Check[] {
  const bootstrapNames = new Set(repo.bootstraps.map((b) => b.name));
  const chosen = deployed.bootstrap?.name;
  return repo.contracts.flatMap((contract): Check[] => {
    const found = deployed.contracts.get(contract.name);
    if (bootstrapNames.has(contract.name) && contract.name !== chosen) {
      if (!chosen) return []; // the bootstrap group says that none is deployed
      return [
        found
          ? diff(
              "contracts",
              contract.name,
              `deployed next to ${chosen}, which is the bootstrap lvdao-core ran; a deployment publishes one bootstrap`,
            )
          : ok("contracts", contract.name, `not deployed, as expected: this deployment's bootstrap is ${chosen}`),
      ];
    }
    if (!found) return [diff("contracts", contract.name, `not deployed (repository: ${contract.path})`)];
    const hash = found.hash;
    if (found.source.equals(contract.source))
      return [
        ok(
          "contracts",
          contract.name,
          `source = ${contract.path}, sha512/256 ${hash}, published at height ${found.publishHeight}`,
        ),
      ];
    return [
      diff(
        "contracts",
        contract.name,
        `source differs from ${contract.path} from line ${firstDifferingLine(found.source, contract.source)} ` +
          `(on-chain ${found.source.length} bytes, repository ${contract.source.length}); ` +
          `sha512/256 on-chain ${hash}, repository ${contract.hash}`,
      ),
    ];
  });
}

function bootstrapChecks(repo: Repository, deployed: DeployedState): Check[] {
  const checks: Check[] = [];
  const constructed = deployed.constructed;
  if (!constructed.ok) checks.push(diff("bootstrap", `${CORE} is-constructed`, `cannot read: ${constructed.cause}`));
  else if (constructed.value.type === "true") checks.push(ok("bootstrap", `${CORE} is-constructed`, "true"));
  else
    checks.push(diff("bootstrap", `${CORE} is-constructed`, `${cvToString(constructed.value)}: construct has not run`));

  const bootstrap = deployed.bootstrap;
  if (!bootstrap) {
    checks.push(
      diff("bootstrap", "bootstrap", `none deployed: expected one of ${repo.bootstraps.map((b) => b.name).join(", ")}`),
    );
    return checks;
  }
  const executed = deployed.executedAt.get(bootstrap.name);
  if (!executed?.ok)
    checks.push(
      diff("bootstrap", `${CORE} executed-at ${bootstrap.name}`, `cannot read: ${executed?.cause ?? "not read"}`),
    );
  else if (executed.value.type === "some")
    checks.push(
      ok(
        "bootstrap",
        `${CORE} executed-at ${bootstrap.name}`,
        `ran at Stacks height ${cvToString(executed.value.value).replace(/^u/, "")}`,
      ),
    );
  else
    checks.push(
      diff("bootstrap", `${CORE} executed-at ${bootstrap.name}`, `none: lvdao-core has not executed ${bootstrap.name}`),
    );

  const configuration = deployed.configuration;
  if (!configuration) {
    checks.push(
      ok(
        "bootstrap",
        `${bootstrap.name} configuration`,
        "no configuration read (nothing to seal); executed-at shows the run",
      ),
    );
  } else if (!configuration.ok || configuration.value.type !== "tuple") {
    checks.push(
      diff(
        "bootstrap",
        `${bootstrap.name} get-configuration`,
        `cannot read: ${configuration.ok ? cvToString(configuration.value) : configuration.cause}`,
      ),
    );
  } else {
    const fields = configuration.value.value as Record<string, ClarityValue>;
    for (const flag of ["sealed", "executed"]) {
      const value = fields[flag];
      if (!value) continue;
      const subject = `${bootstrap.name} ${flag}`;
      checks.push(
        value.type === "true"
          ? ok("bootstrap", subject, "true")
          : diff("bootstrap", subject, `${cvToString(value)}: the bootstrap is not ${flag}`),
      );
    }
  }
  return checks;
}

function extensionChecks(repo: Repository, deployed: DeployedState, deployer: string): Check[] {
  const bootstrap = deployed.bootstrap;
  const enabling = bootstrap ? [bootstrap] : repo.bootstraps;
  const by = bootstrap?.name ?? repo.bootstraps.map((b) => b.name).join(" or ");
  const expected = new Set(
    enabling.flatMap((b) => [...b.enables.map((name) => `${deployer}.${name}`), ...b.enablesPrincipals]),
  );
  const label = (principal: string): string =>
    principal.startsWith(`${deployer}.`) ? principal.slice(deployer.length + 1) : principal;

  if (!deployed.extensions) return [diff("extensions", CORE, "not deployed: the extension list cannot be read")];
  const checks: Check[] = [];
  for (const [principal, read] of deployed.extensions) {
    const subject = label(principal);
    const wanted = expected.has(principal);
    if (!read.ok) {
      checks.push(diff("extensions", subject, `cannot read ${CORE}.is-extension: ${read.cause}`));
    } else if ((read.value.type === "true") === wanted) {
      checks.push(ok("extensions", subject, wanted ? `an extension (${by} enables it)` : "not an extension"));
    } else {
      checks.push(
        diff(
          "extensions",
          subject,
          wanted ? `not an extension, but ${by} enables it` : `an extension, but ${by} does not enable it`,
        ),
      );
    }
  }

  const events = deployed.extensionEvents;
  if (!events) {
    checks.push(
      note(
        "extensions",
        "extension-set events",
        "the API serves no contract logs (/extended/v2/smart-contracts/{id}/logs): " +
          "an extension outside the repository's contracts cannot be seen",
      ),
    );
    return checks;
  }
  const unexpected = events.filter((e) => e.enabled && !expected.has(e.extension));
  for (const event of unexpected)
    checks.push(
      diff(
        "extensions",
        label(event.extension),
        `an extension-set event enabled it (tx 0x${event.txid}), but ${by} does not enable it`,
      ),
    );
  const enabled = events.filter((e) => e.enabled).length;
  if (unexpected.length === 0)
    checks.push(
      ok(
        "extensions",
        "extension-set events",
        `${events.length} (${enabled} enabling), each for a principal ${by} enables`,
      ),
    );
  return checks;
}

function settingChecks(repo: Repository, deployed: DeployedState): Check[] {
  const settings = deployed.settings;
  if (!settings) return [diff("settings", SETTINGS_CONTRACT, "not deployed: no setting can be read")];
  return repo.settings.map((setting) => {
    const subject = `${SETTINGS_CONTRACT} ${setting.key}`;
    const repoBounds = `[${setting.min}, ${setting.max}]`;
    const read: ReadResult | undefined = settings.get(setting.key);
    if (!read?.ok) return diff("settings", subject, `cannot read get-setting-bounds: ${read?.cause ?? "not read"}`);
    if (read.value.type !== "some" || read.value.value.type !== "tuple")
      return diff("settings", subject, `not set on-chain (repository: value ${setting.value}, bounds ${repoBounds})`);
    const fields = read.value.value.value as Record<string, ClarityValue>;
    const [value, min, max] = (["value", "min", "max"] as const).map((name) => uintOf(fields[name]));
    if (value === undefined || min === undefined || max === undefined)
      return diff("settings", subject, `unreadable entry ${cvToString(read.value)}`);
    const problems: string[] = [];
    if (min !== setting.min || max !== setting.max)
      problems.push(`bounds on-chain [${min}, ${max}], repository ${repoBounds}`);
    if (value < min || value > max) problems.push(`value ${value} outside its on-chain bounds [${min}, ${max}]`);
    if (value < setting.min || value > setting.max)
      problems.push(`value ${value} outside the repository's bounds ${repoBounds}`);
    if (problems.length) return diff("settings", subject, problems.join("; "));
    return ok(
      "settings",
      subject,
      `value ${value} within ${repoBounds}${value === setting.value ? "" : ` (starts at ${setting.value})`}`,
    );
  });
}

function uintOf(value: ClarityValue | undefined): bigint | undefined {
  return value?.type === "uint" ? BigInt(value.value) : undefined;
}

function firstDifferingLine(a: Buffer, b: Buffer): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.subarray(0, i).toString("utf8").split("\n").length;
}
