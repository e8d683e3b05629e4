/**
 * The languages `pcx lint` knows, found by file name or `--lang`. A crm-syntax linter plugs in by
 * adding one entry here (e.g. matching `*.crm`); the CLI and output formats need no change.
 */
import { corosyncRules } from '../corosync/rules';
import { lintCorosync } from '../corosync/lint';
import type { Diagnostic, RuleInfo } from './types';

export interface LintOptions {
  readonly disabledRules?: Iterable<string>;
  /** Language-specific knobs, e.g. `corosyncVersion`. */
  readonly corosyncVersion?: 2 | 3;
}

export interface LintLanguage {
  readonly id: string;
  /** Does this base name belong to the language? */
  matches(baseName: string): boolean;
  lint(text: string, options: LintOptions): Diagnostic[];
  readonly rules: readonly RuleInfo[];
}

export const lintLanguages: readonly LintLanguage[] = [
  {
    id: 'corosync',
    matches: (base) => base === 'corosync.conf' || base.endsWith('.corosync.conf'),
    lint: (text, o) => lintCorosync(text, { disabledRules: o.disabledRules, generation: o.corosyncVersion }).diagnostics,
    rules: corosyncRules,
  },
  // { id: 'crm', matches: (base) => base.endsWith('.crm'), … } — the crm-syntax linter goes here.
];

export function languageById(id: string): LintLanguage | undefined {
  return lintLanguages.find((l) => l.id === id);
}

export function languageForFile(baseName: string): LintLanguage | undefined {
  return lintLanguages.find((l) => l.matches(baseName));
}
