/**
 * Markdown for tooltips, hovers and completion documentation: the ONE escape for text that came from a cluster,
 * a file or a user, and the two-column tables every row's tooltip uses.
 *
 * VS Code's own `MarkdownString.appendText` (microsoft/vscode src/vs/base/common/htmlContent.ts) backslash-escapes
 * ``\ ` * _ { } [ ] ( ) # + - ! ~``, escapes `>`, turns runs of blanks into `&nbsp;` and newlines into paragraph
 * breaks, and with theme icons first runs `escapeIcons` (src/vs/base/common/iconLabels.ts: `$(name)` → `\$(name)`).
 * It leaves `:` `.` `@` (GFM autolinks: `https://…`, `www.…`, `a@b.c`), `&` (entity references), `<` (autolinks,
 * HTML), `|` (table cells) and newlines inside our tables. And icons are rendered on the HTML that marked produced
 * (src/vs/base/browser/markdownRenderer.ts: renderLabelWithIcons(renderedMarkdown)), so a backslash-escaped
 * `\$\(x\)` comes out as `$(x)` and becomes an icon again. So here every ASCII punctuation character becomes a
 * numeric character reference: CommonMark never reads a character reference as structure, marked passes it through
 * into the HTML unchanged (where no icon pattern can match it), and the browser shows the character itself; `$(`
 * also gets a zero-width space, for renderers that decode references first (markdown-it does).
 */

/** Characters that are not text on a line: C0 (also CR/LF/TAB), DEL, C1, line/paragraph separators, bidi controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Untrusted text → markdown that renders as exactly that text on one line: no link, image, icon, HTML or structure. */
export function mdEscape(s: string): string {
  return String(s)
    .replace(/\r\n?|\n/g, ' ')
    .replace(CONTROL, (c) => (c === '\t' ? ' ' : '\ufffd'))
    .replace(PUNCTUATION, (c) => `&#${c.charCodeAt(0)};`)
    // Even a renderer that decodes references before icons are drawn must not see `$(name)`: a zero-width space.
    .replace(/&#36;&#40;/g, '&#36;&#8203;&#40;');
}

/**
 * Untrusted text as an inline code span. Inside a code span nothing is markdown, but a backtick run would end it,
 * a newline (a blank line) would end the paragraph, `|` would split a table cell and `$(name)` would still become an
 * icon (icons are rendered on the HTML): so the fence is longer than any backtick run, lines are joined, `|` is
 * swapped for `¦` and a zero-width space breaks every `$(`.
 */
export function mdCode(s: string): string {
  const text = String(s).replace(/\r\n?|\n/g, ' ').replace(CONTROL, (c) => (c === '\t' ? ' ' : '\ufffd')).replace(/\|/g, '¦').replace(/\$\(/g, '$\u200b(');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Our own sentences with commands in backticks that embed cluster data (health and workload fix texts, remedies):
 * the parts between backtick pairs become code spans (mdCode), the rest escaped text (mdEscape). A backtick that
 * came with the data can only move the split; it cannot make anything but text and code.
 */
export function mdWithCode(s: string): string {
  const parts = String(s).split('`');
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  return parts.map((p, i) => (i % 2 === 1 && i < closed ? mdCode(p) : (i % 2 === 1 ? '&#96;' : '') + mdEscape(p))).join('');
}

/** Untrusted multi-paragraph text (agent descriptions): each paragraph escaped like mdEscape, blank lines kept. */
export function mdParagraphs(s: string): string {
  return String(s).split(/\r?\n[ \t]*\r?\n/).map((p) => mdEscape(p.trim())).filter(Boolean).join('\n\n');
}

/** Untrusted lines as a fenced code block: the fence is longer than any backtick run inside, `$(` cannot become an icon. */
export function mdCodeBlock(s: string, language = ''): string {
  // eslint-disable-next-line no-control-regex
  const text = String(s).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd').replace(/\$\(/g, '$\u200b(');
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language.replace(/[^A-Za-z0-9-]/g, '')}\n${text}\n${fence}`;
}

export function table(rows: readonly (readonly [string, string])[]): string {
  if (rows.length === 0) return '';
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${mdEscape(k)} | ${mdEscape(v)} |`)].join('\n');
}
