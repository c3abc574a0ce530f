// The field reader behind config.ts: looks a dotted field up in the environment (LVDAO_<SECTION>_<KEY>) first and
// in the TOML file second, checks it, and throws a ConfigError that names the field and where its value came from.
// It remembers which fields it read, so a misspelt key in the file is reported instead of silently ignored.
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly source: string,
  ) {
    super(`relay config: ${field} (${source}): ${problem}`);
  }
}

type Table = Record<string, unknown>;

/** LVDAO_ + the dotted field in upper snake case: stacks.api_url -> LVDAO_STACKS_API_URL. */
export const envName = (field: string): string => `LVDAO_${field.replace(/\./g, "_").toUpperCase()}`;

export class FieldReader {
  private readonly read = new Set<string>();

  constructor(
    private readonly file: Table,
    private readonly env: Record<string, string | undefined>,
    private readonly baseDir: string,
    private readonly fileLabel: string,
  ) {}

  private lookup(field: string): { value: unknown; source: string } | undefined {
    this.read.add(field);
    const fromEnv = this.env[envName(field)];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, source: `env ${envName(field)}` };
    let node: unknown = this.file;
    for (const part of field.split(".")) {
      if (!node || typeof node !== "object" || Array.isArray(node)) return undefined;
      node = (node as Table)[part];
    }
    return node === undefined ? undefined : { value: node, source: this.fileLabel };
  }

  has(field: string): boolean {
    return this.lookup(field) !== undefined;
  }

  string(field: string, fallback?: string): string {
    const found = this.lookup(field);
    if (!found) {
      if (fallback !== undefined) return fallback;
      throw new ConfigError(field, `is required (set it in the file or as ${envName(field)})`, "missing");
    }
    if (typeof found.value !== "string")
      throw new ConfigError(field, `must be a string, got ${typeof found.value}`, found.source);
    return found.value;
  }

  optionalString(field: string): string | undefined {
    const found = this.lookup(field);
    if (!found) return undefined;
    if (typeof found.value !== "string")
      throw new ConfigError(field, `must be a string, got ${typeof found.value}`, found.source);
    return found.value === "" ? undefined : found.value;
  }

  oneOf<T extends string>(field: string, values: readonly T[], fallback: T): T {
    const value = this.string(field, fallback);
    if (!(values as readonly string[]).includes(value)) {
      throw new ConfigError(
        field,
        `must be one of ${values.join(", ")}, got "${value}"`,
        this.lookup(field)?.source ?? "default",
      );
    }
    return value as T;
  }

  url(field: string, fallback?: string): string {
    const value = this.string(field, fallback);
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(field, `must be a URL, got "${value}"`, this.lookup(field)?.source ?? "default");
    }
    if (!["http:", "https:"].includes(parsed.protocol)) {
      throw new ConfigError(
        field,
        `must be an http or https URL, got "${value}"`,
        this.lookup(field)?.source ?? "default",
      );
    }
    return value.replace(/\/+$/, "");
  }

  /** A whole number within [min, max], as a bigint: money and heights never pass through floats. */
  integer(field: string, fallback: bigint, min: bigint, max: bigint): bigint {
    const found = this.lookup(field);
    if (!found) return fallback;
    const { value, source } = found;
    let parsed: bigint;
    if (typeof value === "bigint") parsed = value;
    else if (typeof value === "number" && Number.isSafeInteger(value)) parsed = BigInt(value);
    else if (typeof value === "string" && /^\d+$/.test(value.replace(/_/g, "")))
      parsed = BigInt(value.replace(/_/g, ""));
    else throw new ConfigError(field, `must be a whole number, got ${JSON.stringify(value)}`, source);
    if (parsed < min || parsed > max)
      throw new ConfigError(field, `must lie in [${min}, ${max}], got ${parsed}`, source);
    return parsed;
  }

  /** A small whole number (counts, milliseconds, ports) as a JS number. */
  count(field: string, fallback: number, min: number, max: number): number {
    return Number(this.integer(field, BigInt(fallback), BigInt(min), BigInt(max)));
  }

  bool(field: string, fallback: boolean): boolean {
    const found = this.lookup(field);
    if (!found) return fallback;
    if (typeof found.value === "boolean") return found.value;
    if (found.value === "true" || found.value === "1") return true;
    if (found.value === "false" || found.value === "0") return false;
    throw new ConfigError(field, `must be true or false, got ${JSON.stringify(found.value)}`, found.source);
  }

  /** A list of strings; from the environment, comma separated. */
  list(field: string): string[] {
    const found = this.lookup(field);
    if (!found) return [];
    const items =
      typeof found.value === "string"
        ? found.value
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : found.value;
    if (!Array.isArray(items) || !items.every((item) => typeof item === "string")) {
      throw new ConfigError(field, "must be a list of strings", found.source);
    }
    return items;
  }

  /** A path relative to the config file's folder; `mustExist` checks it names a readable file. */
  path(field: string, options: { mustExist: boolean; fallback?: string }): string {
    const value = this.string(field, options.fallback);
    const full = isAbsolute(value) ? value : resolve(this.baseDir, value);
    if (options.mustExist && (!existsSync(full) || !statSync(full).isFile())) {
      throw new ConfigError(field, `file not found: ${value}`, this.lookup(field)?.source ?? "default");
    }
    return full;
  }

  /** Reads a secret file's bytes; the caller registers them for log redaction. */
  secretFile(field: string): Buffer {
    const full = this.path(field, { mustExist: true });
    const bytes = readFileSync(full);
    if (bytes.length === 0) throw new ConfigError(field, "file is empty", this.lookup(field)?.source ?? "file");
    return bytes;
  }

  /** host:port for a listener; port 0 picks a free one. */
  listen(field: string, fallback: string): { host: string; port: number } {
    const value = this.string(field, fallback);
    const match = /^(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
    if (!match || Number(match[2]) > 65535) {
      throw new ConfigError(field, `must be host:port, got "${value}"`, this.lookup(field)?.source ?? "default");
    }
    return { host: match[1]!.replace(/^\[|\]$/g, ""), port: Number(match[2]) };
  }

  fail(field: string, problem: string): never {
    throw new ConfigError(field, problem, this.lookup(field)?.source ?? "default");
  }

  /** Every key in the file that no reader asked for: a typo the operator should hear about. */
  unknownFileKeys(): string[] {
    const unknown: string[] = [];
    const walk = (node: Table, prefix: string): void => {
      for (const [key, value] of Object.entries(node)) {
        const field = prefix ? `${prefix}.${key}` : key;
        if (value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date))
          walk(value as Table, field);
        else if (!this.read.has(field)) unknown.push(field);
      }
    };
    walk(this.file, "");
    return unknown;
  }
}
