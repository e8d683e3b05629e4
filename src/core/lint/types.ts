/**
 * Diagnostic types shared by every pcx linter (corosync.conf today, crm syntax later).
 *
 * Shaped like the Language Server Protocol on purpose: 0-based line/character positions (UTF-16
 * code units, like JS strings), a severity, a stable `code`. The VS Code layer maps these 1:1; a
 * language server could later serve them unchanged. Text output converts to 1-based at the edge.
 */

/** 0-based position; `character` counts UTF-16 code units. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** A quick fix: edits to apply to the same document. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The obvious fix (VS Code shows it first and applies it with "auto fix"). */
  readonly preferred?: boolean;
}

export interface Diagnostic {
  readonly range: Range;
  readonly severity: Severity;
  /** Stable rule id, e.g. `corosync/two-node-wait-for-all`. */
  readonly code: string;
  /** What is wrong and what to do about it. */
  readonly message: string;
  /** The linter that produced it: `corosync`, later `crm`. */
  readonly source: string;
  readonly fixes?: readonly Fix[];
}

/** Documentation of one rule: for `pcx lint --list-rules`, SARIF rule metadata and the README. */
export interface RuleInfo {
  readonly code: string;
  readonly severity: Severity;
  /** One line: what the rule catches. */
  readonly summary: string;
  /** Which versions the verdict depends on, when it does (e.g. "Corosync 3.x"). */
  readonly versions?: string;
  /** Where upstream justifies it (file or man page). */
  readonly reference: string;
}

export function range(line: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line, character: startChar }, end: { line: endLine, character: endChar } };
}

export function lineRange(line: number, startChar: number, endChar: number): Range {
  return range(line, startChar, line, endChar);
}

export const severityRank: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Stable order: by position, then severity, then code (so output and tests are deterministic). */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    severityRank[a.severity] - severityRank[b.severity] ||
    a.code.localeCompare(b.code)
  );
}
