// Reads Clarity source text into forms (lists, `{key: value}` tuples, atoms, string literals), so verify-deployment
// can read what a contract writes at deploy time (dao-settings' init lists, a bootstrap's set-extension calls)
// from the repository's own files instead of a copy kept in TypeScript. Comments are skipped; nothing is evaluated.

export type Form =
  | { type: "list"; items: Form[] }
  | { type: "tuple"; entries: Map<string, Form> }
  | { type: "atom"; text: string }
  | { type: "string"; text: string };

export class ClaritySourceError extends Error {
  override readonly name = "ClaritySourceError";
}

const ATOM = /[^\s(){}",;]+/y;

export function readForms(source: string): Form[] {
  let at = 0;
  const fail = (what: string): never => {
    const line = source.slice(0, at).split("\n").length;
    throw new ClaritySourceError(`${what} at line ${line}`);
  };
  const skip = (): void => {
    while (at < source.length) {
      const c = source[at]!;
      if (c === ";") {
        const end = source.indexOf("\n", at);
        at = end < 0 ? source.length : end + 1;
      } else if (/\s|,/.test(c)) {
        at++;
      } else {
        return;
      }
    }
  };
  const string = (): Form => {
    let text = "";
    for (at++; at < source.length; at++) {
      const c = source[at]!;
      if (c === "\\") text += source[++at] ?? "";
      else if (c === '"') {
        at++;
        return { type: "string", text };
      } else text += c;
    }
    return fail("unterminated string");
  };
  const form = (): Form => {
    skip();
    const c = source[at];
    if (c === undefined) return fail("unexpected end of source");
    if (c === "(") {
      at++;
      const items: Form[] = [];
      for (skip(); source[at] !== ")"; skip()) {
        if (at >= source.length) fail("unclosed (");
        items.push(form());
      }
      at++;
      return { type: "list", items };
    }
    if (c === "{") {
      at++;
      const entries = new Map<string, Form>();
      for (skip(); source[at] !== "}"; skip()) {
        if (at >= source.length) fail("unclosed {");
        const key = form();
        if (key.type !== "atom" || !key.text.endsWith(":")) fail("a tuple key must be written `name:`");
        entries.set((key as { text: string }).text.slice(0, -1), form());
      }
      at++;
      return { type: "tuple", entries };
    }
    if (c === '"') return string();
    if (c === "u" && source[at + 1] === '"') {
      at++;
      return string();
    }
    if (c === ")" || c === "}") return fail(`unexpected ${c}`);
    ATOM.lastIndex = at;
    const match = ATOM.exec(source);
    if (!match) return fail(`unexpected ${c}`);
    at += match[0].length;
    return { type: "atom", text: match[0] };
  };
  const forms: Form[] = [];
  for (skip(); at < source.length; skip()) forms.push(form());
  return forms;
}

/** `(head ...)`: the list's items when its first item is the atom `head`. */
export function call(form: Form | undefined, head: string): Form[] | undefined {
  if (form?.type !== "list") return undefined;
  const first = form.items[0];
  return first?.type === "atom" && first.text === head ? form.items : undefined;
}

/** Every list anywhere inside `forms` (depth first, in source order) whose head is `head`. */
export function findCalls(forms: Form[], head: string): Form[][] {
  const found: Form[][] = [];
  const visit = (form: Form): void => {
    const items = call(form, head);
    if (items) found.push(items);
    if (form.type === "list") form.items.forEach(visit);
    if (form.type === "tuple") form.entries.forEach(visit);
  };
  forms.forEach(visit);
  return found;
}

/** The names of the read-only functions a contract defines. */
export function readOnlyFunctions(forms: Form[]): string[] {
  return forms.flatMap((form) => {
    const signature = call(form, "define-read-only")?.[1];
    const name = signature?.type === "list" ? signature.items[0] : undefined;
    return name?.type === "atom" ? [name.text] : [];
  });
}
