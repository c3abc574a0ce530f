// Checks JSON values against TypeScript types by compiling them: each sample becomes
// `export const sample_N: <Type> = <its JSON>;` in a virtual module next to this file that imports the types from
// ../api-types.ts, and the TypeScript compiler reports every sample that does not fit. A JSON literal is a fresh
// object literal, so the compiler reports missing fields, fields of the wrong type, values outside a literal
// union (tx_status: "mined") and fields the type does not have.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export interface ShapeSample {
  /** Shown in failures, e.g. "GET /v2/info 200". */
  label: string;
  /** A type exported by offchain/devnet/api-types.ts. */
  typeName: string;
  value: unknown;
}

const here = dirname(fileURLToPath(import.meta.url));
const REPO = join(here, "..", "..", "..");
const VIRTUAL = join(here, "__shape_samples__.ts");

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(REPO, "tsconfig.json");
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(`cannot read tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, REPO);
  return { ...parsed.options, noEmit: true, skipLibCheck: true };
}

/** Compiles the samples; returns each failing sample's label with the compiler's messages. Empty when all fit. */
export function typeCheckSamples(samples: ShapeSample[]): { label: string; errors: string[] }[] {
  const typeNames = [...new Set(samples.map((s) => s.typeName))].sort();
  const header = `import type { ${typeNames.join(", ")} } from "../api-types.ts";`;
  // One sample per line, so a diagnostic's line names its sample.
  const lines = [
    header,
    ...samples.map((s, i) => `export const sample_${i}: ${s.typeName} = ${JSON.stringify(s.value)};`),
  ];
  const text = `${lines.join("\n")}\n`;

  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const original = { getSourceFile: host.getSourceFile, fileExists: host.fileExists, readFile: host.readFile };
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    fileName === VIRTUAL
      ? ts.createSourceFile(fileName, text, languageVersion, true)
      : original.getSourceFile.call(host, fileName, languageVersion, ...rest);
  host.fileExists = (fileName) => fileName === VIRTUAL || original.fileExists.call(host, fileName);
  host.readFile = (fileName) => (fileName === VIRTUAL ? text : original.readFile.call(host, fileName));

  const program = ts.createProgram({ rootNames: [VIRTUAL], options, host });
  const source = program.getSourceFile(VIRTUAL);
  if (!source) throw new Error("the virtual sample module was not compiled");
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];

  const byLine = new Map<number, string[]>();
  for (const diagnostic of diagnostics) {
    const line = diagnostic.start === undefined ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n").slice(0, 1500);
    byLine.set(line, [...(byLine.get(line) ?? []), message]);
  }
  const headerErrors = byLine.get(0);
  if (headerErrors) throw new Error(`the sample module's imports do not compile: ${headerErrors.join("; ")}`);
  return samples.flatMap((sample, i) => {
    const errors = byLine.get(i + 1);
    return errors ? [{ label: sample.label, errors }] : [];
  });
}
