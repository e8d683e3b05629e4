// How the tooltips' markdown reads: the text a person sees (character references decoded), and the HTML a CommonMark
// renderer with GFM autolinks makes of it (markdown-it with linkify, HTML off, as in VS Code's hovers).
import MarkdownIt from 'markdown-it';

/** The markdown with its numeric character references decoded: what the tooltip says, for wording assertions. */
export function mdText(md: string): string {
  return md.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
}

const renderer = new MarkdownIt({ html: false, linkify: true });

/** The HTML the markdown renders to. */
export function mdHtml(md: string): string {
  return renderer.render(md);
}
