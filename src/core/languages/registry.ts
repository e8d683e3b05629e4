/**
 * The languages `pcx lint` knows, found by file name or `--lang`: corosync.conf and crm configuration
 * (`*.crm`). A language plugs in by adding one entry here; the CLI and output formats need no change.
 */
import { corosyncRules } from '../corosync/rules';
import { lintCorosync } from '../corosync/lint';
import type { ClusterAgentCatalog } from '../crm/clusterAgents';
import { lintCrm } from '../crm/lint';
import { crmRules } from '../crm/rules/index';
import type { Diagnostic, RuleInfo } from '../lint/types';

export interface LintOptions {
  readonly disabledRules?: Iterable<string>;
  /** Language-specific knobs, e.g. `corosyncVersion`. */
  readonly corosyncVersion?: 2 | 3;
  /** crm: a connected cluster's own agents (pcx lint --host). */
  readonly clusterAgents?: ClusterAgentCatalog;
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
  {
    id: 'crm',
    matches: (base) => base.endsWith('.crm'),
    lint: (text, o) => lintCrm(text, { disabledRules: o.disabledRules, cluster: o.clusterAgents }).diagnostics,
    rules: crmRules,
  },
];

export function languageById(id: string): LintLanguage | undefined {
  return lintLanguages.find((l) => l.id === id);
}

export function languageForFile(baseName: string): LintLanguage | undefined {
  return lintLanguages.find((l) => l.matches(baseName));
}
