// A proposal body rendered from the safe Markdown subset (model/markdown.ts): React elements only, never HTML.
// biome-ignore-all lint/suspicious/noArrayIndexKey: a body is parsed once from immutable text; its parts never move
import type { ReactNode } from "react";
import { parseMarkdown, type Block, type Inline } from "../model/markdown.ts";

function inline(piece: Inline, key: number): ReactNode {
  switch (piece.t) {
    case "text":
      return piece.text;
    case "code":
      return <code key={key}>{piece.text}</code>;
    case "strong":
      return <strong key={key}>{piece.children.map(inline)}</strong>;
    case "em":
      return <em key={key}>{piece.children.map(inline)}</em>;
    case "link":
      return (
        <a key={key} href={piece.href} target="_blank" rel="noopener noreferrer nofollow">
          {piece.children.map(inline)}
        </a>
      );
  }
}

// the page's own h1/h2 come first, so body headings start at h3
const HEADINGS = ["h3", "h4", "h5", "h6"] as const;

function block(part: Block, key: number): ReactNode {
  switch (part.t) {
    case "heading": {
      const Tag = HEADINGS[part.level - 1]!;
      return <Tag key={key}>{part.children.map(inline)}</Tag>;
    }
    case "paragraph":
      return <p key={key}>{part.children.map(inline)}</p>;
    case "list": {
      const items = part.items.map((item, j) => <li key={j}>{item.map(inline)}</li>);
      return part.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    case "quote":
      return <blockquote key={key}>{part.children.map(inline)}</blockquote>;
    case "code":
      return (
        <pre key={key} className="payload">
          <code>{part.text}</code>
        </pre>
      );
  }
}

export function Markdown({ source }: { source: string }) {
  return <div className="markdown">{parseMarkdown(source).map(block)}</div>;
}
