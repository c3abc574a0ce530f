// Minimal HTTP plumbing for the node emulation: routing by method and path pattern, bounded bodies, JSON errors with
// a clear message, and CORS for browser clients on loopback origins only. A handler error never escapes to crash
// the process.
import type { IncomingMessage, ServerResponse } from "node:http";

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  params: string[];
  headers: IncomingMessage["headers"];
  body(): Promise<Buffer>;
  json(): Promise<unknown>;
}

export type Reply = { status?: number; json?: unknown; text?: string };
export type Handler = (req: Request) => Promise<Reply> | Reply;

interface Route {
  method: string;
  /** The path template, e.g. "/v2/accounts/{principal}"; with the method it names the route. */
  template: string;
  pattern: RegExp;
  handler: Handler;
}

/** Regular expressions for the `{param}` parts of route templates; a template may use only these. */
export type ParamPatterns = Record<string, string>;

function decodePathParam(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, "bad_path", `malformed percent-encoding in path segment "${text.slice(0, 100)}"`);
  }
}

export class Router {
  private routes: Route[] = [];
  constructor(
    private readonly maxBodyBytes: number,
    private readonly params: ParamPatterns = {},
  ) {}

  /** Registers a handler for `METHOD /path/{param}/...`; a trailing slash is accepted too. */
  on(method: string, template: string, handler: Handler): this {
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
      const param = this.params[name];
      if (param === undefined) throw new Error(`route ${template}: no pattern for {${name}}`);
      return `(${param})`;
    });
    this.routes.push({ method, template, pattern: new RegExp(`^${source}/?$`), handler });
    return this;
  }

  /** Every route as "METHOD /template". */
  routeNames(): string[] {
    return this.routes.map((r) => `${r.method} ${r.template}`);
  }

  /** The route that serves a request, as "METHOD /template", or null when none does. */
  routeFor(method: string, path: string): string | null {
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    return route ? `${route.method} ${route.template}` : null;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    if (origin && isLoopbackOrigin(origin)) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.setHeader("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, x-hiro-product, x-api-key");
    }
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const method = req.method ?? "GET";
      if (method === "OPTIONS") {
        res.writeHead(204).end();
        return;
      }
      let matchedPath = false;
      for (const route of this.routes) {
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        matchedPath = true;
        if (route.method !== method) continue;
        const reply = await route.handler(this.request(req, method, url, match.slice(1).map(decodePathParam)));
        send(res, reply.status ?? 200, reply);
        return;
      }
      if (matchedPath) throw new HttpError(405, "method_not_allowed", `${method} is not allowed on ${url.pathname}`);
      throw new HttpError(404, "not_found", `no route for ${method} ${url.pathname}`);
    } catch (error) {
      if (error instanceof HttpError) {
        send(res, error.status, { json: error.body ?? { error: error.code, message: error.message } });
      } else {
        send(res, 500, { json: { error: "internal_error", message: (error as Error)?.message ?? String(error) } });
      }
    }
  }

  private request(req: IncomingMessage, method: string, url: URL, params: string[]): Request {
    let cached: Promise<Buffer> | null = null;
    const body = (): Promise<Buffer> => (cached ??= readBody(req, this.maxBodyBytes));
    return {
      method,
      path: url.pathname,
      query: url.searchParams,
      params,
      headers: req.headers,
      body,
      json: async () => {
        const raw = await body();
        try {
          return JSON.parse(raw.toString("utf8")) as unknown;
        } catch (cause) {
          throw new HttpError(400, "bad_json", `request body is not valid JSON: ${(cause as Error).message}`);
        }
      },
    };
  }
}

function send(res: ServerResponse, status: number, reply: Reply): void {
  if (res.headersSent) return;
  if (reply.text !== undefined) {
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(reply.text);
    return;
  }
  const body = JSON.stringify(reply.json ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  res.writeHead(status, { "Content-Type": "application/json" }).end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(
        new HttpError(413, "payload_too_large", `request body of ${declared} bytes exceeds the ${limit}-byte limit`),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new HttpError(413, "payload_too_large", `request body exceeds the ${limit}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function isLoopbackOrigin(origin: string): boolean {
  try {
    const { hostname } = new URL(origin);
    return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
  } catch {
    return false;
  }
}
