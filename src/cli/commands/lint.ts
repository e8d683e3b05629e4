/**
 * pcx lint FILE… — check corosync.conf and crm configuration (*.crm) files like a compiler would.
 * Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 usage error or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { lintLanguages, languageById, languageForFile } from '../../core/languages/registry';
import type { FileReport } from '../../core/lint/output';
import { formatJson, formatSarif, formatText, summarize } from '../../core/lint/output';
import { agentKey } from '../../core/crm/agents';
import { parseAgent } from '../../core/crm/agentSpec';
import { clusterCatalog, readAgentMetadata, type ClusterAgentCatalog } from '../../core/crm/clusterAgents';
import { buildModel } from '../../core/crm/model';
import { parseCrm } from '../../core/crm/parser';
import { judgeCorosync, readCorosyncVersion, type NodeCorosync } from '../../core/corosync/version';
import { onFirstWorkingNode } from '../../core/cluster/live';
import { SshPool } from '../../core/ssh/pool';
import { describeError, PcxFailure } from '../../core/util/result';
import { parseVerbArgs, usageText, type VerbSpec } from '../args';
import { SOURCE_OPTIONS, connectOptionsFromSource, targetFromSource, withExactRetryHint, type SourceValues } from '../source';

declare const PCX_VERSION: string | undefined;

export const LINT_VERB = {
  name: 'lint',
  synopsis: '[options] FILE…',
  description: `Checks corosync.conf and crm configuration files. Files named corosync.conf or *.corosync.conf
and *.crm are recognised; use --lang for other names.`,
  groups: [
    {
      title: 'options',
      options: {
        format: { type: 'string', value: 'FORMAT', choices: ['text', 'json', 'sarif'], help: 'output format (default text: file:line:col: severity code message)' },
        lang: { type: 'string', value: 'LANG', choices: lintLanguages.map((l) => l.id), help: 'language of every FILE, whatever its name' },
        disable: { type: 'string', value: 'CODE[,CODE…]', multiple: true, help: 'turn rules off (repeatable), e.g. corosync/transport-deprecated,crm/stonith-disabled' },
        'corosync-version': { type: 'string', value: 'VERSION', choices: ['2', '3'], help: 'Corosync generation the files target (default: the node\'s corosync -v with --host/--cluster, else what each file says, else 3)' },
        'list-rules': { type: 'boolean', help: 'print every rule with its severity and exit' },
      },
    },
    { title: 'a cluster (optional: with --host or --cluster, *.crm files are checked against that cluster\'s own agents, corosync.conf files for its corosync -v)', options: SOURCE_OPTIONS },
  ],
  positionals: { name: 'FILE' },
  footer: `In a file, "# pcx-disable-next-line CODE" silences CODE on the next line.
Without --host/--cluster nothing is contacted: agents are checked against the bundled resource-agents data.
Exit status: 0 no errors, 1 errors found, 2 bad usage, unreadable file, or the cluster's agents could not be read.`,
} as const satisfies VerbSpec;

function readError(file: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
  return `pcx lint: cannot read ${file}: ${why}`;
}

export async function run(args: string[]): Promise<number> {
  const r = parseVerbArgs(LINT_VERB, args);
  if (!r.ok) {
    process.stderr.write(`pcx lint: ${describeError(r.error)}\n`);
    return 2;
  }
  if (r.value.help) {
    process.stdout.write(usageText(LINT_VERB) + '\n');
    return 0;
  }
  const v = r.value.values;
  const parsed = {
    files: r.value.positionals,
    format: v.format ?? 'text',
    lang: v.lang,
    disabled: v.disable.flatMap((d) => d.split(',')).map((d) => d.trim()).filter(Boolean),
    corosyncVersion: v['corosync-version'] === undefined ? undefined : v['corosync-version'] === '2' ? (2 as const) : (3 as const),
    listRules: v['list-rules'],
  };
  if (parsed.listRules) {
    for (const lang of parsed.lang ? [languageById(parsed.lang)!] : lintLanguages) {
      for (const r of lang.rules) process.stdout.write(`${r.code.padEnd(48)} ${r.severity.padEnd(11)} ${r.summary}${r.versions ? ` [${r.versions}]` : ''}\n`);
    }
    return 0;
  }
  if (parsed.files.length === 0) {
    process.stderr.write('pcx lint: no files given\n  → pcx lint corosync.conf  (or pcx lint --help)\n');
    return 2;
  }

  const inputs: { file: string; lang: NonNullable<ReturnType<typeof languageById>>; text: string }[] = [];
  let unreadable = false;
  for (const file of parsed.files) {
    const lang = parsed.lang ? languageById(parsed.lang) : languageForFile(basename(file));
    if (!lang) {
      process.stderr.write(`pcx lint: ${file}: cannot tell the language from the name\n  → name it corosync.conf, *.corosync.conf or *.crm, or pass --lang corosync|crm\n`);
      unreadable = true;
      continue;
    }
    try {
      inputs.push({ file, lang, text: readFileSync(file, 'utf8') });
    } catch (e) {
      process.stderr.write(readError(file, e) + '\n');
      unreadable = true;
    }
  }
  let clusterAgents: ClusterAgentCatalog | undefined;
  if (v.host.length > 0 || v.cluster !== undefined) {
    const keys = inputs.filter((i) => i.lang.id === 'crm').flatMap((i) => agentsNamedIn(i.text));
    try {
      clusterAgents = await readClusterAgents(v, keys);
    } catch (e) {
      const err = withExactRetryHint(e, 'lint', args);
      if (!(err instanceof PcxFailure)) throw err;
      process.stderr.write(`pcx lint: could not read the cluster's agents, so *.crm files were checked against the bundled data only: ${describeError(err)}\n`);
      unreadable = true;
    }
  }
  let nodeCorosync: NodeCorosync | undefined;
  if ((v.host.length > 0 || v.cluster !== undefined) && parsed.corosyncVersion === undefined && inputs.some((i) => i.lang.id === 'corosync')) {
    try {
      nodeCorosync = await readNodeCorosync(v);
    } catch (e) {
      const err = withExactRetryHint(e, 'lint', args);
      const why = err instanceof PcxFailure ? describeError(err) : err instanceof Error ? err.message : String(err);
      process.stderr.write(`pcx lint: could not read the cluster's Corosync version, so each corosync.conf is judged by what it says: ${why}\n`);
      unreadable = true;
    }
  }
  const reports: FileReport[] = inputs.map((i) => {
    let corosyncVersion = parsed.corosyncVersion;
    if (i.lang.id === 'corosync') {
      const judged = judgeCorosync(i.text, { forced: parsed.corosyncVersion, node: nodeCorosync });
      corosyncVersion = judged.generation;
      process.stderr.write(`pcx lint: ${i.file}: judged for ${judged.text}\n`);
    }
    return { file: i.file, language: i.lang.id, diagnostics: i.lang.lint(i.text, { disabledRules: parsed.disabled, corosyncVersion, clusterAgents }) };
  });

  const version = typeof PCX_VERSION === 'string' ? PCX_VERSION : 'dev';
  if (parsed.format === 'json') process.stdout.write(formatJson(reports));
  else if (parsed.format === 'sarif') process.stdout.write(formatSarif(reports, lintLanguages.flatMap((l) => l.rules), version));
  else {
    process.stdout.write(formatText(reports));
    const s = summarize(reports);
    if (reports.length > 0) {
      process.stderr.write(`${reports.length} file(s): ${s.error} error(s), ${s.warning} warning(s), ${s.information + s.hint} note(s)\n`);
    }
  }
  if (unreadable) return 2;
  return summarize(reports).error > 0 ? 1 : 0;
}

/** The agent keys a crm file's primitives name. */
function agentsNamedIn(text: string): string[] {
  return buildModel(parseCrm(text)).primitives.flatMap((p) => (p.agent ? [agentKey(parseAgent(p.agent.text))] : []));
}

/** Ask the first node that answers for the meta-data of `keys`; say on stderr what it lacked or could not tell. */
async function readClusterAgents(v: SourceValues, keys: readonly string[]): Promise<ClusterAgentCatalog> {
  const target = await targetFromSource(v);
  const pool = new SshPool(connectOptionsFromSource(v, 'lint'), { attempts: 1 });
  try {
    const { value, host, skipped } = await onFirstWorkingNode(target, { pool }, (runner) => readAgentMetadata(runner, keys));
    for (const s of skipped) process.stderr.write(`pcx lint: warning: skipped ${describeError(s)}\n`);
    for (const [key, why] of Object.entries(value.failed)) process.stderr.write(`pcx lint: warning: ${host} did not describe ${key}: ${why}\n`);
    process.stderr.write(`pcx lint: agents from ${host}: ${Object.keys(value.found).length} described, ${Object.keys(value.absent).length} not installed\n`);
    return clusterCatalog(host, value);
  } finally {
    pool.closeAll();
  }
}

/** The Corosync version of the first node that answers (`corosync -v`). */
async function readNodeCorosync(v: SourceValues): Promise<NodeCorosync> {
  const target = await targetFromSource(v);
  const pool = new SshPool(connectOptionsFromSource(v, 'lint'), { attempts: 1 });
  try {
    const { value, skipped } = await onFirstWorkingNode(target, { pool }, (runner) => readCorosyncVersion(runner));
    for (const s of skipped) process.stderr.write(`pcx lint: warning: skipped ${describeError(s)}\n`);
    return value;
  } finally {
    pool.closeAll();
  }
}
