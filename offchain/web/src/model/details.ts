// A proposal's text fields as proposals.propose takes them. The body and link rules, and the body hash the
// app checks a body read from the event log against, are the codec's (offchain/actions/proposal-text.ts).
export { BODY_MAX_CHARS, LINK_MAX_CHARS, bodyHash, bodyProblem, linkProblem } from "../../../actions/index.ts";

/** proposals.propose: a title is 1 to 100 characters of string-utf8. */
export function titleProblem(title: string): string | null {
  const length = [...title].length;
  if (title.trim().length === 0) return "ERR_EMPTY_TITLE: give the proposal a title";
  if (length > 100) return `the title has ${length} characters; at most 100 fit`;
  return null;
}
