// Connection to loopd's REST API (the grpc-gateway in front of its SwapClient service): HTTPS pinned to loopd's
// certificate, the macaroon in the `Grpc-Metadata-macaroon` header, JSON bodies with loopd's proto field names.
import { request as httpsRequest } from "node:https";
import { LightningError, fromRestError } from "../errors.ts";
import { loadCredentials, type CredentialSource } from "./credentials.ts";
import { DEFAULT_TIMEOUT_MS } from "./grpc-call.ts";

export interface LoopClient {
  restUrl: string;
  /** One REST exchange; resolves with the parsed JSON body of a 2xx answer, rejects with a classified LightningError. */
  request(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    options: { action: string; timeoutMs?: number },
  ): Promise<unknown>;
}

export interface LoopConnectionOptions extends CredentialSource {
  /** https://host:port */
  restUrl: string;
}

export function connectLoop(options: LoopConnectionOptions): LoopClient {
  let base: URL;
  try {
    base = new URL(options.restUrl);
  } catch {
    throw new LightningError("CONFIGURATION", `loopd restUrl ${options.restUrl} is not a URL`, "loopd", "connect");
  }
  if (base.protocol !== "https:")
    throw new LightningError("CONFIGURATION", "loopd restUrl must be https://", "loopd", "connect");
  const { certPem, macaroonHex } = loadCredentials("loopd", options);
  return {
    restUrl: base.origin,
    request: (method, path, body, { action, timeoutMs = DEFAULT_TIMEOUT_MS }) =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = httpsRequest(
          new URL(path, base),
          {
            method,
            ca: certPem,
            timeout: timeoutMs,
            headers: {
              "Grpc-Metadata-macaroon": macaroonHex,
              accept: "application/json",
              ...(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("error", (error) => reject(fromRestError({ error }, action)));
            res.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              let parsed: unknown = null;
              try {
                parsed = text ? JSON.parse(text) : {};
              } catch {
                parsed = null;
              }
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) {
                if (parsed === null)
                  reject(
                    new LightningError(
                      "UNEXPECTED_RESPONSE",
                      `loopd answered ${status} with a body that is not JSON`,
                      "loopd",
                      action,
                    ),
                  );
                else resolve(parsed);
                return;
              }
              reject(fromRestError({ status, body: parsed as { code?: number; message?: string } | null }, action));
            });
          },
        );
        req.on("timeout", () =>
          req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
        );
        req.on("error", (error: NodeJS.ErrnoException) =>
          reject(
            error.code === "ETIMEDOUT"
              ? new LightningError("TIMEOUT", error.message, "loopd", action)
              : fromRestError({ error }, action),
          ),
        );
        req.end(payload);
      }),
  };
}
