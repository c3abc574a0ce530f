// A proposal's details-hash: the sha256 of its details document (a text or a link), 32 bytes as hex. Only the
// hash goes on-chain; whoever publishes the document lets anyone check it against the proposal.

export class DetailsHashError extends Error {
  override name = "DetailsHashError";
}

export async function sha256Hex(text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle)
    throw new DetailsHashError(
      "hashing needs a secure context (https or localhost); paste a 64-hex-digit sha256 instead",
    );
  const digest = await subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The details field as a hash: a pasted 64-hex-digit hash is taken as is, any other text is hashed. */
export async function detailsHash(details: string): Promise<string> {
  const trimmed = details.trim();
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(trimmed)) return trimmed.replace(/^0x/, "").toLowerCase();
  return sha256Hex(details);
}

/** proposals.propose: a title is 1 to 100 characters of string-utf8. */
export function titleProblem(title: string): string | null {
  const length = [...title].length;
  if (title.trim().length === 0) return "ERR_EMPTY_TITLE: give the proposal a title";
  if (length > 100) return `the title has ${length} characters; at most 100 fit`;
  return null;
}
