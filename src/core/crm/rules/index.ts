/** Every crm lint rule, with the syntax codes the parser itself reports. */
import type { RuleInfo } from '../../lint/types';
import { clusterRules } from './cluster';
import { constraintRules } from './constraints';
import type { CrmRule } from './context';
import { resourceRules } from './resources';

export const crmRuleList: readonly CrmRule[] = [...resourceRules, ...constraintRules, ...clusterRules];

export const syntaxRules: readonly RuleInfo[] = [
  { code: 'crm/syntax', severity: 'error', summary: 'The statement does not parse as crm configuration syntax (crmsh refuses the file).', reference: 'crmsh parse.py; doc/crm.8.adoc' },
  { code: 'crm/trailing-continuation', severity: 'error', summary: 'A trailing "\\" continues the statement into a blank line or swallows the next statement.', reference: 'crmsh parse.py (line continuation)' },
];

export const crmRules: readonly RuleInfo[] = [
  ...syntaxRules,
  ...crmRuleList.map(({ code, severity, summary, versions, reference }) => ({ code, severity, summary, reference, ...(versions ? { versions } : {}) })),
];
