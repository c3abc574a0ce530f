// Form controls for a payload, generated from the kind's Clarity tuple type (PAYLOAD_TYPES). The value edited is
// the codec's JSON form: uints as decimal text, buffers as hex, optionals as null or a value, lists as arrays.
import { useEffect, useState } from "react";
import type { ActionKind, FieldType, Json } from "../../../actions/index.ts";
import {
  emptyValue,
  fieldHint,
  fieldSuggestions,
  linesToList,
  setAt,
  type Draft,
  type Path,
} from "../model/payload-form.ts";

interface FieldProps {
  kind: ActionKind;
  name: string;
  path: Path;
  type: FieldType;
  value: Json;
  draft: Draft;
  onChange: (path: Path, value: Json) => void;
}

function Field({ kind, name, path, type, value, draft, onChange }: FieldProps) {
  const id = `field-${path.join("-")}`;
  const hint = fieldHint(kind, name, type, draft);
  const label = (
    <label htmlFor={id}>
      {name}
      {hint ? <small> ({hint})</small> : null}
    </label>
  );
  switch (type.t) {
    case "bool":
      return (
        <div className="field field-bool">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(path, e.target.checked)} />
          {label}
        </div>
      );
    case "uint":
    case "ascii":
    case "buff":
    case "principal": {
      const suggestions = fieldSuggestions(kind, name);
      return (
        <div className="field">
          {label}
          <input
            id={id}
            name={name}
            inputMode={type.t === "uint" ? "numeric" : undefined}
            value={typeof value === "string" || typeof value === "number" ? String(value) : ""}
            list={suggestions.length ? `${id}-options` : undefined}
            onChange={(e) => onChange(path, e.target.value)}
            spellCheck={false}
          />
          {suggestions.length ? (
            <datalist id={`${id}-options`}>
              {suggestions.map((option) => (
                <option key={option} value={option} />
              ))}
            </datalist>
          ) : null}
        </div>
      );
    }
    case "optional":
      return (
        <fieldset className="field field-optional">
          <legend>
            <input
              id={id}
              type="checkbox"
              checked={value !== null}
              onChange={(e) => onChange(path, e.target.checked ? emptyValue(type.of) : null)}
            />{" "}
            <label htmlFor={id}>{name}</label> <small>(optional; unset = none)</small>
          </legend>
          {value !== null ? (
            <Field kind={kind} name={name} path={path} type={type.of} value={value} draft={draft} onChange={onChange} />
          ) : null}
        </fieldset>
      );
    case "list":
      return <ListField id={id} name={name} type={type} value={value} onChange={(list) => onChange(path, list)} />;
    case "tuple":
      return (
        <fieldset className="field field-tuple">
          <legend>{name}</legend>
          {Object.entries(type.fields).map(([child, childType]) => (
            <Field
              key={child}
              kind={kind}
              name={child}
              path={[...path, child]}
              type={childType}
              value={(value as { [key: string]: Json } | null)?.[child] ?? emptyValue(childType)}
              draft={draft}
              onChange={onChange}
            />
          ))}
        </fieldset>
      );
  }
}

/** A list typed one item per line; the text is kept as typed so blank lines can be added before they are filled. */
function ListField({
  id,
  name,
  type,
  value,
  onChange,
}: {
  id: string;
  name: string;
  type: Extract<FieldType, { t: "list" }>;
  value: Json;
  onChange: (list: string[]) => void;
}) {
  const joined = Array.isArray(value) ? value.map(String).join("\n") : "";
  const [text, setText] = useState(joined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new value from outside replaces the typed text
  useEffect(() => {
    if (linesToList(text).join("\n") !== joined) setText(joined);
  }, [joined]);
  return (
    <div className="field">
      <label htmlFor={id}>
        {name}{" "}
        <small>
          (one per line, at most {type.max}
          {type.of.t === "buff" ? ", hex" : ""})
        </small>
      </label>
      <textarea
        id={id}
        rows={3}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(linesToList(e.target.value));
        }}
        spellCheck={false}
      />
    </div>
  );
}

export function PayloadFields({
  kind,
  fields,
  draft,
  onChange,
}: {
  kind: ActionKind;
  fields: Readonly<Record<string, FieldType>>;
  draft: Draft;
  onChange: (draft: Draft) => void;
}) {
  const change = (path: Path, value: Json): void => onChange(setAt(draft, path, value) as Draft);
  return (
    <div className="payload-fields">
      {Object.entries(fields).map(([name, type]) => (
        <Field
          key={name}
          kind={kind}
          name={name}
          path={[name]}
          type={type}
          value={draft[name] ?? emptyValue(type)}
          draft={draft}
          onChange={change}
        />
      ))}
    </div>
  );
}
