// Bad input at the HTTP door: every case gets a 4xx with a message that names the problem, the server keeps
// serving, and the chain does not move.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Devnet } from "../index.ts";
import { COUNTER, DEPLOYER, startFixtureDevnet } from "./helpers.ts";

const LIMIT = 4096;
let devnet: Devnet;
let heightBefore: number;
beforeAll(async () => {
  devnet = await startFixtureDevnet({ maxBodyBytes: LIMIT });
  heightBefore = devnet.chain.tip.height;
});
afterAll(async () => {
  await devnet.stop();
});

async function call(
  method: string,
  path: string,
  body?: string,
  contentType = "application/json",
): Promise<{ status: number; json: { error?: string; message?: string } }> {
  const response = await fetch(`${devnet.url}${path}`, {
    method,
    ...(body !== undefined ? { body, headers: { "content-type": contentType } } : {}),
  });
  return { status: response.status, json: (await response.json()) as { error?: string; message?: string } };
}

/** A chunked body (no Content-Length), so the limit must be enforced while reading. */
function postChunked(path: string, chunks: number, chunkBytes: number): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(
      `${devnet.url}${path}`,
      { method: "POST", headers: { "content-type": "application/octet-stream", "transfer-encoding": "chunked" } },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => done({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", (error) =>
      error.message.includes("EPIPE") || error.message.includes("ECONNRESET") ? undefined : fail(error),
    );
    for (let i = 0; i < chunks; i++) req.write(Buffer.alloc(chunkBytes, 1));
    req.end();
  });
}

describe("bad input", () => {
  const cases: { name: string; method: string; path: string; body?: string; status: number; message: RegExp }[] = [
    {
      name: "an unknown route",
      method: "GET",
      path: "/v2/nothing-here",
      status: 404,
      message: /no route for GET \/v2\/nothing-here/,
    },
    {
      name: "a known route with the wrong method",
      method: "DELETE",
      path: "/v2/info",
      status: 405,
      message: /DELETE is not allowed on \/v2\/info/,
    },
    {
      name: "malformed JSON to call-read",
      method: "POST",
      path: `/v2/contracts/call-read/${DEPLOYER}/counter/get-count`,
      body: '{"sender": ',
      status: 400,
      message: /not valid JSON/,
    },
    {
      name: "malformed JSON to /devnet/mine",
      method: "POST",
      path: "/devnet/mine",
      body: "{burn: 1}",
      status: 400,
      message: /not valid JSON/,
    },
    {
      name: "malformed JSON to fee estimation",
      method: "POST",
      path: "/v2/fees/transaction",
      body: "[",
      status: 400,
      message: /not valid JSON/,
    },
    {
      name: "a JSON array where an object is expected",
      method: "POST",
      path: `/v2/contracts/call-read/${DEPLOYER}/counter/get-count`,
      body: "[]",
      status: 400,
      message: /must be a JSON object/,
    },
    {
      name: "an invalid principal in /v2/accounts",
      method: "GET",
      path: "/v2/accounts/ST-not-an-address",
      status: 400,
      message: /not a valid Stacks principal/,
    },
    {
      name: "an invalid principal in the v1 nonces route",
      method: "GET",
      path: "/extended/v1/address/SP000/nonces",
      status: 400,
      message: /not a valid Stacks principal/,
    },
    {
      name: "an invalid principal in the v3 nonces route",
      method: "GET",
      path: "/extended/v3/principals/hello/nonces",
      status: 400,
      message: /not a valid Stacks principal/,
    },
    {
      name: "a standard principal where the logs route needs a contract",
      method: "GET",
      path: `/extended/v2/smart-contracts/${DEPLOYER}/logs`,
      status: 400,
      message: /is not a contract principal/,
    },
    {
      name: "an invalid contract address in call-read",
      method: "POST",
      path: "/v2/contracts/call-read/NOTANADDRESS/counter/get-count",
      body: JSON.stringify({ sender: DEPLOYER, arguments: [] }),
      status: 400,
      message: /not a valid Stacks principal/,
    },
    {
      name: "a bad txid",
      method: "GET",
      path: "/extended/v1/tx/0xnothex",
      status: 400,
      message: /not a transaction id/,
    },
    {
      name: "a broken percent-escape in a path",
      method: "GET",
      path: "/v2/accounts/%E0%A4%A",
      status: 400,
      message: /malformed/i,
    },
    {
      name: "an out-of-range burn count",
      method: "POST",
      path: "/devnet/mine",
      body: JSON.stringify({ burn: -1 }),
      status: 400,
      message: /burn must be an integer/,
    },
  ];
  for (const testCase of cases) {
    it(`answers ${testCase.name} with ${testCase.status} and a clear message`, async () => {
      const { status, json } = await call(testCase.method, testCase.path, testCase.body);
      expect(status).toBe(testCase.status);
      expect(json.message).toMatch(testCase.message);
    });
  }

  it("refuses a body over the limit by its Content-Length with 413", async () => {
    const { status, json } = await call("POST", "/v2/transactions", "00".repeat(LIMIT), "text/plain");
    expect(status).toBe(413);
    expect(json.message).toMatch(new RegExp(`exceeds the ${LIMIT}-byte limit`));
  });

  it("refuses a chunked body once it passes the limit with 413", async () => {
    const { status, body } = await postChunked("/v2/transactions", 8, 1024);
    expect(status).toBe(413);
    expect(body).toMatch(/exceeds the 4096-byte limit/);
  });

  it("keeps serving and leaves the chain where it was", async () => {
    expect(devnet.chain.tip.height).toBe(heightBefore);
    expect(devnet.chain.mempool.size).toBe(0);
    const read = await call(
      "POST",
      `/v2/contracts/call-read/${DEPLOYER}/counter/get-count`,
      JSON.stringify({ sender: DEPLOYER, arguments: [] }),
    );
    expect(read.status).toBe(200);
    expect(COUNTER.endsWith(".counter")).toBe(true);
  });
});
