// The co-signer's HTTP API, on loopback by default: POST /sign {actionId, psbt} -> 200 {psbt} or
// 4xx/503 {error, reason}; GET /metrics (Prometheus text); GET /healthz. Requests are small JSON bodies; anything
// over 1 MB is refused before it is parsed.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Cosigner } from "./cosigner.ts";
import { Refusal } from "./refusal.ts";

const MAX_BODY_BYTES = 1_000_000;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Refusal("bad-request", "the request body is over 1 MB");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseSignRequest(text: string): { actionId: string; psbt: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Refusal("bad-request", "the body is not JSON");
  }
  const { actionId, psbt } = (body ?? {}) as Record<string, unknown>;
  if (typeof actionId !== "string" || typeof psbt !== "string") {
    throw new Refusal("bad-request", 'the body must be {"actionId": "<id>", "psbt": "<base64>"}');
  }
  return { actionId, psbt };
}

export async function startCosignerServer(
  listen: { host: string; port: number },
  cosigner: Cosigner,
  log: (line: string) => void,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, type: string, body: string) => {
        res.writeHead(status, { "content-type": type });
        res.end(body);
      };
      const path = new URL(req.url ?? "/", "http://cosigner").pathname;
      try {
        if (req.method === "POST" && path === "/sign") {
          const request = parseSignRequest(await readBody(req));
          const psbt = await cosigner.sign(request.actionId, request.psbt);
          log(`signed action ${request.actionId}`);
          send(200, "application/json", JSON.stringify({ psbt }));
        } else if (req.method === "GET" && path === "/metrics") {
          send(200, "text/plain; version=0.0.4", cosigner.metrics.registry.render());
        } else if (req.method === "GET" && path === "/healthz") {
          send(200, "application/json", JSON.stringify({ ok: true }));
        } else {
          send(404, "application/json", JSON.stringify({ error: "not-found", reason: `no ${req.method} ${path}` }));
        }
      } catch (error) {
        if (error instanceof Refusal) {
          log(`refused: ${error.message}`);
          send(error.status, "application/json", JSON.stringify({ error: error.code, reason: error.reason }));
        } else {
          log(`error: ${(error as Error).message}`);
          send(500, "application/json", JSON.stringify({ error: "internal", reason: (error as Error).message }));
        }
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${host}:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
