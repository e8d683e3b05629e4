// How the tooltips' markdown reads: the text a person sees (character references decoded), and the HTML a CommonMark
// renderer with GFM autolinks makes of it (markdown-it with linkify, HTML off, as in VS Code's hovers).
import assert from 'node:assert/strict';
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

/** The value from the issue, and more: emphasis, link, image, icon, HTML, entity, autolinks, heading, table cell, backticks. */
export const HOSTILE = 'x` **Cluster verified OK** [Open runbook](https://evil.example/r) ![](https://evil.example/p.png) $(pass-filled) <img src=https://evil.example/q.png> &#91;e&#93;(https://evil.example/s) www.evil.example a@evil.example\n# Fake heading | cell ~~gone~~ _u_ ``y';

/** What must not come out of rendering text that held HOSTILE. */
export function assertInert(md: string, where: string): void {
  const html = mdHtml(md);
  assert.doesNotMatch(html, /<a\b|<img\b|<h[1-6]\b|<del\b|<s>|<em>gone|<strong>Cluster|<em>u<\/em>/, `${where}: the hostile text became markup:\n${md}\n→ ${html}`);
  assert.doesNotMatch(html, /\$\(pass-filled\)/, `${where}: $(pass-filled) would be drawn as an icon:\n${html}`);
  assert.doesNotMatch(html, /evil\.example\/[pqrs]"/, `${where}: a hostile URL became an attribute:\n${html}`);
}

