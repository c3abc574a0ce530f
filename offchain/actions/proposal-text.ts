// A proposal's text as proposals.propose takes it: a Markdown body, whose hash is all the proposals map keeps,
// and an optional discussion link; both travel in the proposal-created event. The rules here mirror the
// contract's, so a client refuses what the chain would refuse before a wallet is asked. Browser-safe.
import { sha256 } from "@noble/hashes/sha256";
import { Cl, serializeCVBytes } from "@stacks/transactions";
import { bytesToHex } from "./bytes.ts";

/** proposals.propose's body is a (string-utf8 4096): at most 4096 Unicode characters. */
export const BODY_MAX_CHARS = 4096;
/** proposals.propose's link is an (optional (string-ascii 256)). */
export const LINK_MAX_CHARS = 256;

/**
 * proposals.body-hash, as 64 hex digits: the sha256 of the body's Clarity consensus serialization (0x0e, the
 * UTF-8 byte length as 4 big-endian bytes, the UTF-8 bytes). The app checks a body read from the event log
 * against the proposal's stored details-hash with it.
 */
export function bodyHash(body: string): string {
  return bytesToHex(sha256(serializeCVBytes(Cl.stringUtf8(body))));
}

/** Why proposals.propose would refuse this body (ERR_EMPTY_BODY, or too long for the argument), or null. */
export function bodyProblem(body: string): string | null {
  if (body.length === 0) return "ERR_EMPTY_BODY: write what the proposal is for";
  const length = [...body].length;
  if (length > BODY_MAX_CHARS) return `the body has ${length} characters; at most ${BODY_MAX_CHARS} fit`;
  return null;
}

/** Why proposals.propose would refuse this discussion link (ERR_BAD_LINK, or too long), or null. */
export function linkProblem(link: string): string | null {
  if (link.length > LINK_MAX_CHARS) return `the link has ${link.length} characters; at most ${LINK_MAX_CHARS} fit`;
  // string-ascii holds printable ASCII only
  if (!/^[\x20-\x7e]*$/.test(link)) return "ERR_BAD_LINK: the link must be plain ASCII (percent-encode the rest)";
  if (!/^https?:\/\/[^ ]+$/.test(link))
    return "ERR_BAD_LINK: the link must be an http:// or https:// URL without spaces";
  return null;
}
