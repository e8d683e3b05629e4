/**
 * pcx render FILE [--to cib|crm] — compile a crm spec file (*.crm) to CIB XML the way crmsh would,
 * or render a CIB (cibadmin -Q, *.xml) as crm syntax in `crm configure show` layout.
 * Exit codes: 0 rendered completely; 1 rendered, but parts were left out (named on stderr);
 * 2 refused: bad usage, unreadable file, or a spec with syntax errors / XML that does not parse.
 */
import { readFileSync } from 'node:fs';
import { compileCrm } from '../../core/crm/compile';
import { cibXmlToCrm } from '../../core/crm/fromCib';
import { parseCrm } from '../../core/crm/parser';
import { serialize, el } from '../../core/crm/xmlOut';
import { describeError } from '../../core/util/result';
import type { VerbSpec, VerbValues } from '../args';
import { runVerb } from '../verb';

export const RENDER_VERB = {
  name: 'render',
  synopsis: '[options] FILE',
  description: `Compiles a crm configuration file to CIB XML (what "crm configure load update FILE" would write),
or renders CIB XML as crm syntax. FILE "-" reads standard input. The direction follows the file name
(*.crm → cib, *.xml → crm) unless --to says otherwise.`,
  groups: [
    {
      title: 'options',
      options: {
        to: { type: 'string', value: 'FORMAT', choices: ['cib', 'configuration', 'crm'], help: 'cib: a whole <cib> document (crm_verify --xml-file accepts it)\nconfiguration: only the <configuration> element\ncrm: crm configuration syntax' },
        'validate-with': { type: 'string', value: 'SCHEMA', help: 'validate-with of the <cib> written by --to cib (default pacemaker-3.7, Pacemaker 2.1)' },
      },
    },
  ],
  positionals: { name: 'FILE', min: 1, max: 1 },
  footer: 'Exit status: 0 rendered, 1 rendered with parts left out (listed on stderr), 2 refused (syntax errors, bad XML, bad usage).',
} as const satisfies VerbSpec;

function readInput(file: string): string {
  return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
}

export function run(args: string[]): Promise<number> {
  return runVerb(RENDER_VERB, args, async ({ values: v, positionals }) => render(positionals[0]!, v));
}

function render(file: string, v: VerbValues<typeof RENDER_VERB>): number {
  let text: string;
  try {
    text = readInput(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    process.stderr.write(`pcx render: cannot read ${file}: ${why}\n`);
    return 2;
  }
  const to = v.to ?? (/\.xml$/i.test(file) || (file === '-' && text.trimStart().startsWith('<')) ? 'crm' : 'cib');
  if (to === 'crm') {
    const res = cibXmlToCrm(text);
    if (!res.ok) {
      process.stderr.write(`pcx render: ${file}: ${describeError(res.error)}\n`);
      return 2;
    }
    process.stdout.write(res.value.text);
    for (const u of res.value.unsupported) process.stderr.write(`pcx render: ${file}: left out ${u} (not expressible in crm syntax by pcx yet)\n`);
    return res.value.unsupported.length ? 1 : 0;
  }
  const doc = parseCrm(text);
  if (doc.problems.length) {
    for (const p of doc.problems) process.stderr.write(`${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: error ${p.code} ${p.message}\n`);
    process.stderr.write(`pcx render: ${file}: not rendered, fix the syntax errors above (pcx lint ${file} checks more)\n`);
    return 2;
  }
  const out = compileCrm(doc);
  if (to === 'configuration') process.stdout.write(out.xml);
  else {
    const cib = el('cib', { 'validate-with': v['validate-with'] ?? 'pacemaker-3.7', epoch: '1', num_updates: '0', admin_epoch: '0' }, [out.configuration, el('status')]);
    process.stdout.write(serialize(cib));
  }
  for (const u of out.unsupported) process.stderr.write(`${file}:${u.line + 1}: "${u.kind}" statements are not compiled by pcx yet: left out\n`);
  return out.unsupported.length ? 1 : 0;
}
