// Regenerates contracts/ERRORS.md and offchain/clarity/errors.ts from the contracts' error constants.
import { writeFileSync } from "node:fs";
import {
  checkErrorConstants,
  readErrorConstants,
  renderErrorsMd,
  renderErrorsTs,
} from "../offchain/clarity/error-source.ts";

const constants = readErrorConstants("contracts");
const problems = checkErrorConstants(constants);
if (problems.length > 0) {
  console.error(`error space is inconsistent:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
writeFileSync("offchain/clarity/errors.ts", renderErrorsTs(constants));
writeFileSync("contracts/ERRORS.md", renderErrorsMd(constants));
console.log(`wrote ${constants.length} error codes from ${new Set(constants.map((c) => c.contract)).size} contracts`);
