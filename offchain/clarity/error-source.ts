// Reads the error constants out of the Clarity sources. The contracts are the single source of truth:
// contracts/ERRORS.md and offchain/clarity/errors.ts are generated from this (npm run errors:generate) and a
// test fails when either drifts from the contracts.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface ErrorConstant {
  contract: string;
  name: string;
  code: number;
  description: string;
}

/** Each contract's block of 100 codes (docs/contracts.md). */
export const ERROR_BLOCKS: Record<string, number> = {
  "lvdao-core": 1000,
  "dao-settings": 1100,
  "gt-token": 1200,
  proposals: 1300,
  "quadratic-voting": 1400,
  "execution-queue": 1500,
  "liquidity-oracle": 1600,
  "conviction-voting": 1700,
  "lv-ledger": 1800,
  guardian: 1900,
  "member-registry": 2000,
  "action-validator": 2100,
  "lvdao-bootstrap": 2200,
  treasury: 2300,
  "chain-actions": 2400,
};

const CONSTANT = /^\(define-constant (ERR_[A-Z0-9_]+) \(err u(\d+)\)\)/;

/** Error constants of every production contract (not the Rendezvous `.tests.clar` files), in file order. */
export function readErrorConstants(contractsDir: string): ErrorConstant[] {
  const files = readdirSync(contractsDir)
    .filter((file) => file.endsWith(".clar") && !file.endsWith(".tests.clar"))
    .sort();
  const found: ErrorConstant[] = [];
  for (const file of files) {
    const contract = file.replace(/\.clar$/, "");
    const lines = readFileSync(join(contractsDir, file), "utf8").split("\n");
    lines.forEach((line, index) => {
      const match = CONSTANT.exec(line.trim());
      if (!match) return;
      const previous = (lines[index - 1] ?? "").trim();
      const description = previous.startsWith(";;") ? previous.replace(/^;+\s*/, "") : "";
      found.push({ contract, name: match[1]!, code: Number(match[2]), description });
    });
  }
  return found;
}

/** Problems that make the error space ambiguous: a code outside its contract's block, reuse, no comment. */
export function checkErrorConstants(constants: ErrorConstant[]): string[] {
  const problems: string[] = [];
  const byCode = new Map<number, ErrorConstant>();
  for (const constant of constants) {
    const block = ERROR_BLOCKS[constant.contract];
    const where = `${constant.contract}.${constant.name} (u${constant.code})`;
    if (block === undefined) problems.push(`${where}: contract has no error block in ERROR_BLOCKS`);
    else if (constant.code < block || constant.code >= block + 100) {
      problems.push(`${where}: outside the block u${block}-u${block + 99}`);
    }
    const clash = byCode.get(constant.code);
    if (clash) problems.push(`${where}: code already used by ${clash.contract}.${clash.name}`);
    byCode.set(constant.code, constant);
    if (!constant.description) problems.push(`${where}: no one-line comment above the constant`);
  }
  return problems;
}

export function renderErrorsTs(constants: ErrorConstant[]): string {
  const contracts = [...new Set(constants.map((c) => c.contract))];
  const body = contracts
    .map((contract) => {
      const rows = constants
        .filter((c) => c.contract === contract)
        .map((c) => `    ${c.name}: ${c.code},`)
        .join("\n");
      // Quoted only where a key needs it, as Biome writes it, so the formatter leaves the generated file alone.
      const key = /^[A-Za-z_$][\w$]*$/.test(contract) ? contract : `"${contract}"`;
      return `  ${key}: {\n${rows}\n  },`;
    })
    .join("\n");
  const descriptions = constants.map((c) => `  ${c.code}: ${JSON.stringify(c.description)},`).join("\n");
  return `// Generated from contracts/*.clar by \`npm run errors:generate\`. Do not edit by hand.
// Every contract's error constants, by contract and name, so tests and clients never use a bare number.

export const ERRORS = {
${body}
} as const;

export type ContractName = keyof typeof ERRORS;

/** The one-line description of each code, as commented in the contract. */
export const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
${descriptions}
};

const NAMES = new Map<number, string>(
  Object.entries(ERRORS).flatMap(([contract, codes]) =>
    Object.entries(codes).map(([name, code]) => [code, \`\${contract}.\${name}\`] as [number, string]),
  ),
);

/** "contract.ERR_NAME" for a code, or undefined for a code no contract defines. */
export function errorName(code: number | bigint): string | undefined {
  return NAMES.get(Number(code));
}
`;
}

export function renderErrorsMd(constants: ErrorConstant[]): string {
  const contracts = [...new Set(constants.map((c) => c.contract))].sort(
    (a, b) => (ERROR_BLOCKS[a] ?? 0) - (ERROR_BLOCKS[b] ?? 0),
  );
  const sections = contracts.map((contract) => {
    const block = ERROR_BLOCKS[contract] ?? 0;
    const rows = constants
      .filter((c) => c.contract === contract)
      .sort((a, b) => a.code - b.code)
      .map((c) => `| u${c.code} | \`${c.name}\` | ${c.description} |`)
      .join("\n");
    return `## ${contract} (u${block}–u${block + 99})\n\n| code | name | meaning |\n|---|---|---|\n${rows}\n`;
  });
  return `# Contract error codes

Every contract owns a block of 100 codes; no code is reused across contracts. This file and
\`offchain/clarity/errors.ts\` are generated from the contracts by \`npm run errors:generate\`, and the test
\`offchain/clarity/errors.test.ts\` fails when either drifts from the contracts.

${sections.join("\n")}`;
}
