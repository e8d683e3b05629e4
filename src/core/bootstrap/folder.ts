/**
 * A cluster folder: `corosync.conf` and one spec file (`*.crm`) that together describe a cluster. The nodes
 * are corosync.conf's nodelist entries (`name`, else `ring0_addr`), reached through ~/.ssh/config like any
 * other host. Reading a folder checks both files with the same linters the editor uses: a folder with errors
 * is refused before anything is planned.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lintCorosync } from '../corosync/lint';
import { buildModel } from '../corosync/model';
import { parseCorosync } from '../corosync/parser';
import { compileCrm } from '../crm/compile';
import { lintCrm } from '../crm/lint';
import { parseCrm } from '../crm/parser';
import type { Diagnostic } from '../lint/types';
import { PcxFailure } from '../util/result';

export interface ClusterFolder {
  readonly dir: string;
  readonly corosyncFile: string;
  readonly corosyncText: string;
  readonly specFile: string;
  readonly specText: string;
  /** The compiled spec: the CIB `<configuration>` that bootstrap loads. */
  readonly configurationXml: string;
  readonly clusterName: string | undefined;
  /** Node names in nodelist order (name, else ring0_addr): also the hosts to connect to. */
  readonly nodes: readonly string[];
  /** Agents the spec uses (`ocf:heartbeat:redis`, `stonith:fence_xvm`), to check on the nodes. */
  readonly agents: readonly string[];
  /** Promotable clones, with their Promoted-role colocations honoured by ordered start. */
  readonly promotableClones: readonly string[];
  readonly warnings: readonly string[];
}

function errorsOf(file: string, diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.code}: ${d.message}`);
}

export async function readClusterFolder(dir: string): Promise<ClusterFolder> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new PcxFailure('folder-unreadable', `cannot read the cluster folder ${dir}: ${(e as Error).message}`, 'Name a folder holding corosync.conf and one *.crm spec file.');
  }
  const specs = names.filter((n) => n.endsWith('.crm')).sort();
  if (!names.includes('corosync.conf')) {
    throw new PcxFailure('folder-incomplete', `${dir} has no corosync.conf`, 'A cluster folder holds corosync.conf and one *.crm spec file (see docs/cluster-as-code.md).');
  }
  if (specs.length !== 1) {
    throw new PcxFailure(
      'folder-incomplete',
      specs.length === 0 ? `${dir} has no *.crm spec file` : `${dir} has ${specs.length} spec files (${specs.join(', ')}); a cluster folder holds one`,
      'Keep exactly one *.crm file in the cluster folder.',
    );
  }
  const corosyncFile = join(dir, 'corosync.conf');
  const specFile = join(dir, specs[0]!);
  const [corosyncText, specText] = await Promise.all([readFile(corosyncFile, 'utf8'), readFile(specFile, 'utf8')]);

  const errors = [...errorsOf(corosyncFile, lintCorosync(corosyncText).diagnostics), ...errorsOf(specFile, lintCrm(specText).diagnostics)];
  if (errors.length > 0) {
    throw new PcxFailure('folder-invalid', `the cluster folder has ${errors.length} error(s):\n  ${errors.join('\n  ')}`, 'Fix them first (pcx lint shows the same, with quick fixes in the editor).');
  }
  const model = buildModel(parseCorosync(corosyncText));
  const nodes = model.nodes.map((n) => n.pairs.get('name')?.value ?? n.rings.get(0)?.value).filter((n): n is string => !!n);
  if (nodes.length === 0) throw new PcxFailure('folder-invalid', `${corosyncFile} lists no nodes`, 'Add a nodelist { node { name: … ring0_addr: … nodeid: … } } entry per node.');

  const doc = parseCrm(specText);
  const compiled = compileCrm(doc);
  const warnings = compiled.unsupported.map((u) => `${specFile}:${u.line}: '${u.kind}' is not compiled and will not be loaded`);
  const agents = new Set<string>();
  const promotable: string[] = [];
  for (const n of doc.nodes) {
    if (n.type === 'primitive' && n.agent) agents.add(n.agent.text);
    if ((n.type === 'ms' || n.type === 'clone') && n.id) {
      const meta = n.sets.filter((s) => s.kind === 'meta').flatMap((s) => s.pairs);
      const isPromotable = n.type === 'ms' || meta.some((p) => p.name === 'promotable' && /^(true|yes|1|on)$/i.test(p.value));
      if (isPromotable) promotable.push(n.id.text);
    }
  }
  return {
    dir,
    corosyncFile,
    corosyncText,
    specFile,
    specText,
    configurationXml: compiled.xml,
    clusterName: model.get('totem', 'cluster_name')?.value,
    nodes,
    agents: [...agents].sort(),
    promotableClones: promotable,
    warnings,
  };
}
