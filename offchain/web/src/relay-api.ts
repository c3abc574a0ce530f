// The relay's status server as the app uses it: GET /channels, the DAO node's channels (docs/relay.md "Channels").
// The relay answers cross-origin reads from loopback origins and the ones its operator allows.
import { parseChannelListing, type ChannelListing } from "./model/channels.ts";

export class RelayError extends Error {
  override name = "RelayError";
}

export async function fetchChannelListing(
  relayUrl: string,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): Promise<ChannelListing> {
  let response: Response;
  try {
    response = await fetchImpl(`${relayUrl}/channels`, { cache: "no-store" });
  } catch (cause) {
    throw new RelayError(
      `the relay at ${relayUrl} is unreachable, or does not let this page read it (${(cause as Error).message})`,
    );
  }
  const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
  if (!response.ok)
    throw new RelayError(
      `the relay's /channels answered ${response.status}` +
        (typeof body?.message === "string" ? `: ${body.message}` : ""),
    );
  return parseChannelListing(body);
}
