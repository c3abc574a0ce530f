// `lvdao verify-deployment --api <url> --deployer <address> [--json]`: checks a deployed lvdao against this
// repository (cli/verify/: contract sources and hashes, the bootstrap's run, the extension list, every
// setting's bounds) and prints one line per check. Exit 0 when everything matches, 3 on any difference (as `lvdao
// audit` on drift), 1 when the API cannot be read, 2 on a usage error. Progress goes to stderr.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { validateStacksAddress } from "@stacks/transactions";
import { DRIFT_EXIT, UsageError, type Io } from "./io.ts";
import { compare, differences } from "./verify/compare.ts";
import { readDeployment } from "./verify/deployed.ts";
import { deploymentApi } from "./verify/node-api.ts";
import { renderReport, type VerifyReport } from "./verify/render.ts";
import { readRepository } from "./verify/repository.ts";

export const VERIFY_USAGE = `  lvdao verify-deployment --api <url> --deployer <address> [--json]
      check a deployed lvdao against this repository: each contract's source and SHA-512/256, the bootstrap sealed
      and executed, the extension list, every setting within the repository's bounds; exit 3 on any difference`;

/** The repository this command belongs to: what a deployment is checked against. */
const REPOSITORY = fileURLToPath(new URL("../../..", import.meta.url));

export async function runVerify(options: {
  api: string;
  deployer: string;
  repository?: string;
  progress?: (line: string) => void;
  now?: Date;
}): Promise<VerifyReport> {
  const repository = resolve(options.repository ?? REPOSITORY);
  const repo = await readRepository(repository);
  const api = deploymentApi(options.api, options.deployer);
  const deployed = await readDeployment(api, options.deployer, repo, options.progress);
  const checks = compare(repo, deployed, options.deployer);
  return {
    verifiedAt: (options.now ?? new Date()).toISOString(),
    api: api.url,
    deployer: options.deployer,
    repository,
    stacksHeight: deployed.stacksHeight,
    bootstrap: deployed.bootstrap?.name ?? null,
    checks,
    differences: differences(checks),
  };
}

export async function verifyDeploymentCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { api: { type: "string" }, deployer: { type: "string" }, json: { type: "boolean" } },
    strict: true,
  });
  if (!values.api || !values.deployer)
    throw new UsageError("verify-deployment needs --api <url> and --deployer <address>");
  if (!/^https?:\/\/[^/]/.test(values.api))
    throw new UsageError(`--api ${JSON.stringify(values.api)} is not an http(s) URL`);
  const deployer = values.deployer;
  if (deployer.includes("."))
    throw new UsageError(
      `--deployer ${JSON.stringify(deployer)} is a contract; give the address that deployed lvdao (ST... or SP...)`,
    );
  if (!validateStacksAddress(deployer))
    throw new UsageError(`--deployer ${JSON.stringify(deployer)} is not a Stacks address (ST... or SP..., c32check)`);

  const report = await runVerify({ api: values.api, deployer, progress: (line) => io.err(`lvdao: verify: ${line}`) });
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else for (const line of renderReport(report)) io.out(line);
  return report.differences.length === 0 ? 0 : DRIFT_EXIT;
}
