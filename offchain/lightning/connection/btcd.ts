// JSON-RPC to btcd over its TLS listener (the certificate btcd wrote is the only trusted root). Errors name the method
// and carry btcd's message (`code` null for a transport failure, which is worth retrying).
import { request } from "node:https";

export interface BtcdConnectionOptions {
  /** host:port */
  host: string;
  user: string;
  password: string;
  certPem: string;
}

export class BtcdRpcError extends Error {
  override name = "BtcdRpcError";
  constructor(
    readonly method: string,
    message: string,
    readonly code: number | null = null,
  ) {
    super(`btcd ${method}: ${message}`);
  }
}

export class BtcdRpc {
  private nextId = 1;
  private readonly auth: string;

  constructor(private readonly options: BtcdConnectionOptions) {
    this.auth = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString("base64")}`;
  }

  get host(): string {
    return this.options.host;
  }

  call<T = unknown>(method: string, params: unknown[] = [], timeoutMs = 60_000): Promise<T> {
    const body = JSON.stringify({ jsonrpc: "1.0", id: this.nextId++, method, params });
    const cut = this.options.host.lastIndexOf(":");
    const [hostname, port] = [this.options.host.slice(0, cut), Number(this.options.host.slice(cut + 1))];
    return new Promise((resolve, reject) => {
      const req = request(
        {
          hostname,
          port,
          method: "POST",
          path: "/",
          ca: this.options.certPem,
          // btcd's certificate names localhost and the machine's addresses; the pinned certificate is what matters.
          checkServerIdentity: () => undefined,
          timeout: timeoutMs,
          headers: {
            authorization: this.auth,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: { result?: T; error?: { code: number; message: string } | null };
            try {
              parsed = JSON.parse(text) as typeof parsed;
            } catch {
              return reject(new BtcdRpcError(method, `HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
            }
            if (parsed.error) return reject(new BtcdRpcError(method, parsed.error.message, parsed.error.code));
            resolve(parsed.result as T);
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", (error) => reject(new BtcdRpcError(method, error.message)));
      req.end(body);
    });
  }
}
