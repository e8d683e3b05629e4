/**
 * crm configuration syntax (`*.crm`, what `crm configure show` prints): parse, lint, compile to CIB
 * XML as crmsh does, and render a CIB back as crm text. What other parts of pcx use.
 */
export { parseCrm } from './parser';
export { lintCrm, type CrmLintOptions, type CrmLintResult } from './lint';
export { compileCrm, type CompileResult } from './compile';
export { cibXmlToCrm, configurationToCrm, type CrmText } from './fromCib';
export { bundledAgents, layeredCatalog, mapCatalog, agentKey, type AgentCatalog, type AgentMeta, type AgentParam } from './agents';
export { buildModel, type CrmModel } from './model';
export { crmRules } from './rules/index';
export type { CrmDocument, CrmNode } from './ast';
export { serialize } from './xmlOut';

import { compileCrm } from './compile';
import { parseCrm } from './parser';
import { el, serialize } from './xmlOut';
import { err, ok, type Result } from '../util/result';

/**
 * A spec file's text → a whole `<cib>` document (for cibadmin --replace / crm_verify --xml-file).
 * Refused with `crm-syntax` naming the first bad line when the spec does not parse.
 */
export function crmToCibXml(text: string, validateWith = 'pacemaker-3.7'): Result<{ xml: string; unsupported: readonly { kind: string; line: number }[] }> {
  const doc = parseCrm(text);
  const first = doc.problems[0];
  if (first) {
    return err({ code: 'crm-syntax', message: `line ${first.range.start.line + 1}: ${first.message}`, hint: 'fix the spec file (pcx lint FILE lists every problem)' });
  }
  const out = compileCrm(doc);
  const cib = el('cib', { 'validate-with': validateWith, epoch: '1', num_updates: '0', admin_epoch: '0' }, [out.configuration, el('status')]);
  return ok({ xml: serialize(cib), unsupported: out.unsupported });
}
