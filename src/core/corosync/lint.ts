/**
 * Entry point of the corosync.conf linter: parse, run the rules, apply per-line and per-workspace
 * suppressions, sort. Pure: no file system, no VS Code.
 */
import { applySuppressions, withoutDisabled } from '../lint/suppress';
import type { Diagnostic } from '../lint/types';
import { compareDiagnostics } from '../lint/types';
import type { CorosyncGeneration, CorosyncModel } from './model';
import { buildModel } from './model';
import type { CsDocument } from './parser';
import { parseCorosync } from './parser';
import { runRules } from './rules';

export interface CorosyncLintOptions {
  /** Rule codes to drop (the `pacemaker.lint.disabledRules` setting, `pcx lint --disable`). */
  readonly disabledRules?: Iterable<string>;
  /** Corosync generation the file targets; guessed from its content when absent. */
  readonly generation?: CorosyncGeneration;
}

export interface CorosyncLintResult {
  readonly doc: CsDocument;
  readonly model: CorosyncModel;
  readonly diagnostics: Diagnostic[];
}

export function lintCorosync(text: string, options: CorosyncLintOptions = {}): CorosyncLintResult {
  const doc = parseCorosync(text);
  const model = buildModel(doc, options.generation);
  const syntax: Diagnostic[] = doc.problems.map((p) => ({
    range: p.range,
    severity: 'error',
    code: p.code,
    message: p.message,
    source: 'corosync',
  }));
  const all = [...syntax, ...runRules(model)];
  const kept = withoutDisabled(applySuppressions(all, doc.lines), options.disabledRules ?? []);
  kept.sort(compareDiagnostics);
  return { doc, model, diagnostics: kept };
}
