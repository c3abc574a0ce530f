// A small well-formedness check for the SVG the demo writes (no XML parser is a dependency): every tag closes in
// order, attributes are quoted, there is one root, and text holds no bare `<` or `&`.
export function wellFormedXml(text: string): { ok: true; root: string } | { ok: false; error: string } {
  const stack: string[] = [];
  let root: string | null = null;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let at = 0;
  while (at < text.length) {
    const lt = text.indexOf("<", at);
    const chunk = lt === -1 ? text.slice(at) : text.slice(at, lt);
    if (/&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/.test(chunk)) return { ok: false, error: `bare & near ${at}` };
    if (stack.length === 0 && chunk.trim() !== "") return { ok: false, error: `text outside the root near ${at}` };
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(text);
    if (!m) return { ok: false, error: `malformed tag at ${lt}: ${text.slice(lt, lt + 40)}` };
    const [, closing, name, , selfClosing] = m as unknown as [string, string, string, string, string];
    if (closing) {
      if (stack.pop() !== name) return { ok: false, error: `</${name}> closes nothing open at ${lt}` };
    } else {
      if (stack.length === 0) {
        if (root !== null) return { ok: false, error: "more than one root element" };
        root = name;
      }
      if (!selfClosing) stack.push(name);
    }
    at = tag.lastIndex;
  }
  if (stack.length > 0) return { ok: false, error: `unclosed <${stack.at(-1)}>` };
  return root ? { ok: true, root } : { ok: false, error: "no root element" };
}
