// Structured logging with a redaction layer. Every line is one JSON object. Before a line is written, the secrets the
// relay has loaded (macaroons, the relay key, TLS keys) are cut out wherever they appear, in hex or base64, and so
// is anything under a secret-sounding field name or shaped like an lnd macaroon. Logs can then go anywhere.

export type LogLevel = "debug" | "info" | "warn" | "error";
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;
export type LogSink = (line: string) => void;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const REDACTED = "[redacted]";
const SECRET_FIELD = /(macaroon|private.?key|sender.?key|secret|mnemonic|password|seed)/i;
// lnd macaroons serialize as 0x02 0x01 0x03 "lnd" ... (version 2 binary format); base64 of that begins "AgEDbG5k".
const MACAROON_HEX = /0201036c6e64[0-9a-f]{20,}/gi;
const MACAROON_BASE64 = /AgEDbG5k[A-Za-z0-9+/=_-]{16,}/g;

/** The set of secret values to cut out of every line; the config loader registers each secret it reads. */
export class SecretRegistry {
  private readonly values = new Set<string>();

  add(secret: string | Uint8Array): void {
    const forms =
      typeof secret === "string"
        ? [secret]
        : [Buffer.from(secret).toString("hex"), Buffer.from(secret).toString("base64")];
    for (const form of forms) {
      const trimmed = form.trim();
      // Very short values would redact innocent text; no real secret is this short.
      if (trimmed.length >= 16) {
        this.values.add(trimmed);
        if (/^[0-9a-f]+$/i.test(trimmed)) {
          this.values.add(trimmed.toLowerCase());
          this.values.add(trimmed.toUpperCase());
        }
      }
    }
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out.replace(MACAROON_HEX, REDACTED).replace(MACAROON_BASE64, REDACTED);
  }
}

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[deep]";
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString("hex")}`;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value))
      out[key] = SECRET_FIELD.test(key) ? REDACTED : scrub(inner, depth + 1);
    return out;
  }
  return value;
}

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
  secrets?: SecretRegistry;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const threshold = LEVELS[options.level ?? "info"];
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = options.secrets ?? new SecretRegistry();
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (LEVELS[level] < threshold) return;
    const record = { time: now().toISOString(), level, msg: message, ...(scrub({ ...bound, ...fields }) as LogFields) };
    sink(secrets.redact(JSON.stringify(record)));
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** A logger that keeps its lines, for tests and for `relay status` summaries. */
export function memoryLogger(options: Omit<LoggerOptions, "sink"> = {}): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", ...options, sink: (line) => lines.push(line) });
  return Object.assign(logger, { lines });
}
