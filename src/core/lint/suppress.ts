/**
 * In-file rule suppression, shared by linters whose comments start with `#` at line start
 * (corosync.conf, crm configuration).
 *
 *   # pcx-disable-next-line corosync/two-node-wait-for-all   → the next non-comment line
 *   # pcx-disable corosync/unknown-key                       → the whole file
 *
 * A directive without codes silences every rule. Corosync treats a `#` only at the start of a line
 * as a comment (a trailing "# x" is part of the value), so directives must sit on their own line.
 */
import type { Diagnostic } from './types';

interface Directive {
  readonly codes: ReadonlySet<string> | 'all';
}

const directivePattern = /^\s*#\s*pcx-(disable-next-line|disable)\b(.*)$/;

function parseCodes(rest: string): ReadonlySet<string> | 'all' {
  const codes = rest
    .split(/[\s,]+/)
    .map((c) => c.trim())
    .filter((c) => c.length > 0 && !c.startsWith('--'));
  return codes.length === 0 ? 'all' : new Set(codes);
}

function matches(d: Directive, code: string): boolean {
  return d.codes === 'all' || d.codes.has(code);
}

/**
 * Drops diagnostics silenced by directives. `isSkippable(line)` says which lines a next-line
 * directive jumps over (comments and blank lines), so a directive may sit above an explanatory comment.
 */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  lines: readonly string[],
  isSkippable: (line: string) => boolean = (l) => /^\s*(#|$)/.test(l),
): Diagnostic[] {
  const fileWide: Directive[] = [];
  const byLine = new Map<number, Directive[]>();
  for (let i = 0; i < lines.length; i++) {
    const m = directivePattern.exec(lines[i]);
    if (!m) continue;
    const directive: Directive = { codes: parseCodes(m[2]) };
    if (m[1] === 'disable') {
      fileWide.push(directive);
      continue;
    }
    let target = i + 1;
    while (target < lines.length && isSkippable(lines[target])) target++;
    const list = byLine.get(target) ?? [];
    list.push(directive);
    byLine.set(target, list);
  }
  if (fileWide.length === 0 && byLine.size === 0) return [...diagnostics];
  return diagnostics.filter((d) => {
    if (fileWide.some((f) => matches(f, d.code))) return false;
    const local = byLine.get(d.range.start.line);
    return !(local && local.some((f) => matches(f, d.code)));
  });
}

/** Drops diagnostics whose code is in `disabled` (the `pacemaker.lint.disabledRules` setting). */
export function withoutDisabled(diagnostics: readonly Diagnostic[], disabled: Iterable<string>): Diagnostic[] {
  const off = new Set(disabled);
  return off.size === 0 ? [...diagnostics] : diagnostics.filter((d) => !off.has(d.code));
}
