// The relay's status server as the app uses it: GET /channels, the DAO node's channels (docs/relay.md "Channels"),
// and GET /market/series, the LV market over time (docs/agents.md).
// The relay answers cross-origin reads from loopback origins and the ones its operator allows.
import { parseChannelListing, type ChannelListing } from "./model/channels.ts";
import { parseMarketSeries, type MarketPoint } from "./model/market-series.ts";

export class RelayError extends Error {
  override name = "RelayError";
}

export async function fetchChannelListing(
  relayUrl: string,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): Promise<ChannelListing> {
  return parseChannelListing(await readRelay(relayUrl, "/channels", fetchImpl));
}

export async function fetchMarketSeries(
  relayUrl: string,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): Promise<MarketPoint[]> {
  return parseMarketSeries(await readRelay(relayUrl, "/market/series", fetchImpl));
}

async function readRelay(relayUrl: string, path: string, fetchImpl: typeof fetch): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(`${relayUrl}${path}`, { cache: "no-store" });
  } catch (cause) {
    throw new RelayError(
      `the relay at ${relayUrl} is unreachable, or does not let this page read it (${(cause as Error).message})`,
    );
  }
  const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
  if (!response.ok)
    throw new RelayError(
      `the relay's ${path} answered ${response.status}` +
        (typeof body?.message === "string" ? `: ${body.message}` : ""),
    );
  return body;
}
