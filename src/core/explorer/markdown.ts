/** Markdown for tooltips: escaping and the two-column tables every row's tooltip uses. */

export function mdEscape(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

export function table(rows: readonly (readonly [string, string])[]): string {
  if (rows.length === 0) return '';
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${mdEscape(k)} | ${mdEscape(v)} |`)].join('\n');
}
