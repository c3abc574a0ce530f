// The Stacks node API as verify-deployment reads it, with no key: node info, a contract's source, read-only calls,
// and JSON pages (the logs route). A node that cannot be reached, or that answers 5xx or 429, stops the run with
// an ApiError naming the URL; a contract that is not there is an answer (undefined, or a failed read), not an error.
import { Cl, serializeCV, type ClarityValue } from "@stacks/transactions";

export class ApiError extends Error {
  override readonly name = "ApiError";
}

export type ReadResult = { ok: true; value: ClarityValue } | { ok: false; cause: string };

export interface DeploymentApi {
  readonly url: string;
  info(): Promise<{ stacksHeight: number; burnHeight: number; networkId: number }>;
  /** the source as the node serves it, undefined when no such contract is deployed */
  contractSource(contractId: string): Promise<{ source: string; publishHeight: number } | undefined>;
  readOnly(contractId: string, fn: string, args: ClarityValue[]): Promise<ReadResult>;
  /** GET a JSON document; undefined on 404 (the shape cli/audit/decisions.ts contractEvents reads pages with) */
  getJson<T>(url: string): Promise<T | undefined>;
}

const TIMEOUT_MS = 30_000;

export function deploymentApi(apiUrl: string, sender: string, fetchFn: typeof fetch = fetch): DeploymentApi {
  const url = apiUrl.replace(/\/+$/, "");
  const request = async (target: string, init?: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchFn(target, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(
        `the Stacks API at ${url} is unreachable (${init?.method ?? "GET"} ${target}): ` +
          `${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
    if (response.status >= 500 || response.status === 429) {
      const body = await response.text().catch(() => "");
      throw new ApiError(
        `the Stacks API at ${url} answered ${response.status} to ${init?.method ?? "GET"} ` +
          `${target}${body ? `: ${body.slice(0, 200)}` : ""}`,
      );
    }
    return response;
  };
  const json = async <T>(response: Response, target: string): Promise<T> => {
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(
        `the Stacks API at ${url} answered ${target} with something that is not JSON (is ${url} a Stacks node API?)`,
      );
    }
  };
  const split = (contractId: string): [string, string] => contractId.split(".") as [string, string];

  return {
    url,
    async info() {
      const target = `${url}/v2/info`;
      const response = await request(target);
      const body = await json<{ stacks_tip_height?: unknown; burn_block_height?: unknown; network_id?: unknown }>(
        response,
        target,
      );
      if (!response.ok || typeof body.stacks_tip_height !== "number")
        throw new ApiError(`${target} answered ${response.status} without a chain tip (is ${url} a Stacks node API?)`);
      return {
        stacksHeight: body.stacks_tip_height,
        burnHeight: Number(body.burn_block_height),
        networkId: Number(body.network_id),
      };
    },
    async contractSource(contractId) {
      const [address, name] = split(contractId);
      const target = `${url}/v2/contracts/source/${address}/${name}?proof=0`;
      const response = await request(target);
      if (response.status === 404) return undefined;
      const body = await json<{ source?: unknown; publish_height?: unknown }>(response, target);
      if (!response.ok || typeof body.source !== "string")
        throw new ApiError(`${target} answered ${response.status} without a source`);
      return { source: body.source, publishHeight: Number(body.publish_height ?? 0) };
    },
    async readOnly(contractId, fn, args) {
      const [address, name] = split(contractId);
      const target = `${url}/v2/contracts/call-read/${address}/${name}/${fn}`;
      const response = await request(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sender, arguments: args.map((arg) => `0x${serializeCV(arg)}`) }),
      });
      const text = await response.text();
      let body: { okay?: unknown; result?: unknown; cause?: unknown } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        return { ok: false, cause: `HTTP ${response.status} ${text.slice(0, 200)}` };
      }
      if (response.ok && body.okay === true && typeof body.result === "string")
        return { ok: true, value: Cl.deserialize(body.result.replace(/^0x/, "")) };
      return { ok: false, cause: String(body.cause ?? `HTTP ${response.status}`).slice(0, 300) };
    },
    async getJson<T>(target: string) {
      const response = await request(target);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new ApiError(`${target} answered ${response.status}`);
      return json<T>(response, target);
    },
  };
}
