// npm run errors:coverage: lists every contract error constant no contract test produced during the last
// `npm test` / `npm run test:report` (recorded by tests/helpers/record-errors.ts), and fails if there is one.
import { existsSync, readFileSync } from "node:fs";
import { readErrorConstants } from "../offchain/clarity/error-source.ts";

const file = ".cache/errors-seen.json";
if (!existsSync(file)) {
  console.error(`${file} is missing: run the contract tests first (npm test or npm run test:report)`);
  process.exit(1);
}
const seen = new Set<number>(JSON.parse(readFileSync(file, "utf8")));
const constants = readErrorConstants("contracts");
const missing = constants.filter((c) => !seen.has(c.code));
console.log(`error constants produced by a test: ${constants.length - missing.length} of ${constants.length}`);
for (const c of missing) console.log(`  not produced: ${c.contract}.${c.name} (u${c.code})`);
process.exit(missing.length > 0 ? 1 : 0);
