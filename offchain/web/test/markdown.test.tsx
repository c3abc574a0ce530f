// The proposal body's Markdown subset: what it parses, and that nothing in a body becomes HTML or a script link.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "../src/components/Markdown.tsx";
import { parseInline, parseMarkdown, safeHref } from "../src/model/markdown.ts";

describe("parseInline", () => {
  it.each([
    ["plain", [{ t: "text", text: "plain" }]],
    [
      "a `u409` and **bold _it_**",
      [
        { t: "text", text: "a " },
        { t: "code", text: "u409" },
        { t: "text", text: " and " },
        {
          t: "strong",
          children: [
            { t: "text", text: "bold " },
            { t: "em", children: [{ t: "text", text: "it" }] },
          ],
        },
      ],
    ],
    [
      "[forum](https://forum.example/t/1)",
      [{ t: "link", href: "https://forum.example/t/1", children: [{ t: "text", text: "forum" }] }],
    ],
    ["[x](javascript:alert(1))", [{ t: "text", text: "[x](javascript:alert(1))" }]],
  ])("%s", (text, parsed) => {
    expect(parseInline(text)).toEqual(parsed);
  });
});

describe("parseMarkdown", () => {
  it("reads headings, paragraphs joined across lines, lists, quotes and fenced code", () => {
    const blocks = parseMarkdown("# Why\n\nMore\ninbound.\n\n- one\n- two\n1. first\n> quoted\n```\n<b>raw</b>\n```");
    expect(blocks.map((b) => b.t)).toEqual(["heading", "paragraph", "list", "list", "quote", "code"]);
    expect(blocks[1]).toEqual({ t: "paragraph", children: [{ t: "text", text: "More inbound." }] });
    expect(blocks[2]).toMatchObject({ ordered: false, items: [[{ text: "one" }], [{ text: "two" }]] });
    expect(blocks[3]).toMatchObject({ ordered: true });
    expect(blocks[5]).toEqual({ t: "code", text: "<b>raw</b>" });
  });
});

describe("safeHref", () => {
  it.each([
    ["https://a.example/x?y=1", "https://a.example/x?y=1"],
    ["mailto:dao@example.org", "mailto:dao@example.org"],
    ["javascript:alert(1)", null],
    ["data:text/html,<script>", null],
    ["//evil.example", null],
  ])("%s -> %s", (url, href) => {
    expect(safeHref(url)).toBe(href);
  });
});

describe("Markdown", () => {
  it("renders raw HTML in a body as text, and links with rel=noopener", () => {
    const html = renderToStaticMarkup(
      <Markdown source={'<img src=x onerror="alert(1)"> see [the thread](https://forum.example/t/2)'} />,
    );
    expect(html).toBe(
      '<div class="markdown"><p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; see <a href="https://forum.example/t/2" target="_blank" rel="noopener noreferrer nofollow">the thread</a></p></div>',
    );
  });
});
