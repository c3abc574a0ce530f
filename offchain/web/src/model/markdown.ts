// A proposal body's Markdown, parsed into a small safe subset the page renders as React elements (so every piece of
// text is escaped): headings, paragraphs, lists, quotes, fenced code, and inline code, bold, italic and links.
// Raw HTML is never interpreted (it shows as text), and a link only opens http, https or mailto addresses.

export type Inline =
  | { t: "text"; text: string }
  | { t: "code"; text: string }
  | { t: "strong"; children: Inline[] }
  | { t: "em"; children: Inline[] }
  | { t: "link"; href: string; children: Inline[] };

export type Block =
  | { t: "heading"; level: 1 | 2 | 3 | 4; children: Inline[] }
  | { t: "paragraph"; children: Inline[] }
  | { t: "list"; ordered: boolean; items: Inline[][] }
  | { t: "quote"; children: Inline[] }
  | { t: "code"; text: string };

/** The address a link may open, or null: only http(s) and mailto, so no javascript: or data: URL gets through. */
export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  return /^(https?:\/\/|mailto:)[^\s<>"]+$/i.test(trimmed) ? trimmed : null;
}

const INLINE = /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*([^*]+)\*|_([^_]+)_|\[([^\]]+)\]\(([^)\s]+)\)/;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let rest = text;
  while (rest.length > 0) {
    const match = INLINE.exec(rest);
    if (!match) {
      out.push({ t: "text", text: rest });
      break;
    }
    if (match.index > 0) out.push({ t: "text", text: rest.slice(0, match.index) });
    const [whole, code, strong, strong2, em, em2, label, url] = match;
    if (code !== undefined) out.push({ t: "code", text: code });
    else if (strong !== undefined || strong2 !== undefined)
      out.push({ t: "strong", children: parseInline(strong ?? strong2 ?? "") });
    else if (em !== undefined || em2 !== undefined) out.push({ t: "em", children: parseInline(em ?? em2 ?? "") });
    else if (label !== undefined && url !== undefined) {
      const href = safeHref(url);
      out.push(href ? { t: "link", href, children: parseInline(label) } : { t: "text", text: whole });
    }
    rest = rest.slice(match.index + whole.length);
  }
  // neighbouring text pieces merged, so the output stays small and comparable
  return out.reduce<Inline[]>((merged, piece) => {
    const last = merged.at(-1);
    if (piece.t === "text" && last?.t === "text") last.text += piece.text;
    else merged.push(piece);
    return merged;
  }, []);
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length) blocks.push({ t: "paragraph", children: parseInline(paragraph.join(" ")) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]!); i++) code.push(lines[i]!);
      blocks.push({ t: "code", text: code.join("\n") });
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({
        t: "heading",
        level: heading[1]!.length as 1 | 2 | 3 | 4,
        children: parseInline(heading[2]!.trim()),
      });
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const ordered = /\d/.test(item[1]!);
      const last = blocks.at(-1);
      if (last?.t === "list" && last.ordered === ordered) last.items.push(parseInline(item[2]!));
      else blocks.push({ t: "list", ordered, items: [parseInline(item[2]!)] });
      continue;
    }
    const quote = /^\s*>\s?(.*)$/.exec(line);
    if (quote) {
      flush();
      blocks.push({ t: "quote", children: parseInline(quote[1]!) });
      continue;
    }
    if (line.trim() === "") flush();
    else paragraph.push(line.trim());
  }
  flush();
  return blocks;
}
