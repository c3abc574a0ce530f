// The settings dao-settings.clar writes at deploy time, read from its init lists: every
// `(map init-setting (list {key, value, min, max} ...))` entry, and every `(map <init-kind> (list spec ...))` whose
// function folds a field list into `<kind>:<field>` keys (the action configs). Values may be uint literals, uint
// constants (MAX_HEIGHT) or `(get <field> spec)`. Anything else is refused by name rather than guessed.
import { call, ClaritySourceError, readForms, type Form } from "./clarity-forms.ts";

export interface RepositorySetting {
  key: string;
  /** the value dao-settings starts with */
  value: bigint;
  min: bigint;
  max: bigint;
}

type Scope = Map<string, Map<string, Form>>;

export function readSettingsSource(source: string): RepositorySetting[] {
  const forms = readForms(source);
  const constants = new Map<string, bigint>();
  const functions = new Map<string, { param: string; body: Form }>();
  for (const form of forms) {
    const constant = call(form, "define-constant");
    const uint = constant?.[2]?.type === "atom" ? /^u(\d+)$/.exec(constant[2].text) : null;
    if (constant?.[1]?.type === "atom" && uint) constants.set(constant[1].text, BigInt(uint[1]!));
    const defined = call(form, "define-private");
    const signature = defined?.[1]?.type === "list" ? defined[1].items : undefined;
    const param = signature?.[1]?.type === "list" ? signature[1].items[0] : undefined;
    if (signature?.[0]?.type === "atom" && param?.type === "atom" && defined?.[2])
      functions.set(signature[0].text, { param: param.text, body: defined[2] });
  }

  const uint = (form: Form | undefined, scope: Scope, what: string): bigint => {
    if (form?.type === "atom") {
      const literal = /^u(\d+)$/.exec(form.text);
      if (literal) return BigInt(literal[1]!);
      const constant = constants.get(form.text);
      if (constant !== undefined) return constant;
    }
    return uint(lookup(form, scope, what), scope, what);
  };
  const text = (form: Form | undefined, scope: Scope, what: string): string =>
    form?.type === "string" ? form.text : text(lookup(form, scope, what), scope, what);
  const lookup = (form: Form | undefined, scope: Scope, what: string): Form => {
    const get = call(form, "get");
    const field = get?.[1];
    const from = get?.[2];
    const value = field?.type === "atom" && from?.type === "atom" ? scope.get(from.text)?.get(field.text) : undefined;
    if (!value)
      throw new ClaritySourceError(
        `dao-settings.clar: cannot read ${what} (${show(form)}): only literals, ` +
          "constants and (get field spec) are read",
      );
    return value;
  };
  const tuples = (list: Form | undefined, what: string): Map<string, Form>[] => {
    const items = call(list, "list");
    if (!items) throw new ClaritySourceError(`dao-settings.clar: ${what} is not a (list ...)`);
    return items.slice(1).map((item) => {
      if (item.type !== "tuple")
        throw new ClaritySourceError(`dao-settings.clar: ${what} holds ${show(item)}, not a tuple`);
      return item.entries;
    });
  };

  const settings = new Map<string, RepositorySetting>();
  const put = (key: string, entry: Map<string, Form>, scope: Scope): void => {
    settings.set(key, {
      key,
      value: uint(entry.get("value"), scope, `${key} value`),
      min: uint(entry.get("min"), scope, `${key} min`),
      max: uint(entry.get("max"), scope, `${key} max`),
    });
  };
  let initLists = 0;
  for (const form of forms) {
    const mapped = call(form, "map");
    const fn = mapped?.[1]?.type === "atom" ? mapped[1].text : undefined;
    if (!mapped || !fn) continue;
    if (fn === "init-setting") {
      initLists++;
      for (const entry of tuples(mapped[2], "the init-setting list"))
        put(text(entry.get("key"), new Map(), "a key"), entry, new Map());
      continue;
    }
    // A per-kind initialiser: (fold <field-fn> (list {name, value, min, max} ...) (get kind spec)).
    const definition = functions.get(fn);
    const fold = call(definition?.body, "fold");
    if (!definition || !fold) continue;
    initLists++;
    const fields = tuples(fold[2], `${fn}'s field list`);
    for (const spec of tuples(mapped[2], `the ${fn} list`)) {
      const scope: Scope = new Map([[definition.param, spec]]);
      const kind = text(fold[3], scope, `${fn}'s kind`);
      for (const field of fields) put(`${kind}:${text(field.get("name"), scope, "a field name")}`, field, scope);
    }
  }
  if (initLists === 0) throw new ClaritySourceError("dao-settings.clar: no (map init-setting (list ...)) found");
  return [...settings.values()];
}

function show(form: Form | undefined): string {
  if (!form) return "nothing";
  if (form.type === "atom") return form.text;
  if (form.type === "string") return JSON.stringify(form.text);
  if (form.type === "tuple") return "{...}";
  return `(${form.items.map(show).join(" ")})`.slice(0, 80);
}
