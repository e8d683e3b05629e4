/**
 * What a transition was about, in words: the scheduler input it was computed from (`pe-input-N.bz2`, named in the
 * "Calculated transition" line) replayed on its node with `crm_simulate --simulate --xml-file FILE --output-as=xml`
 * — read-only, nothing on the cluster changes — and its <actions> (what the scheduler decided) and the failed
 * resources it started from turned into sentences. crm_simulate reads the .bz2 itself.
 */
import { childrenNamed, parseXmlDocument, type XmlElement } from '../util/xml';
import type { CommandRunner } from '../remote/runner';
import { ROOT_EQUIVALENT_NOTE, sudoersRule } from '../remote/runner';
import { PcxFailure } from '../util/result';

export interface TransitionSummary {
  readonly input: string;
  /** One sentence per decided action: "promote redis:1 on node2 (Unpromoted → Promoted)". */
  readonly actions: readonly string[];
  /** Where things stood: "redis failed on node1", "node2 offline". */
  readonly before: readonly string[];
  /** The state the transition leads to: "redis-clone: Promoted on node2", "VIP: Started on node2". */
  readonly after: readonly string[];
  /** How many steps the transition graph has (resource operations, not counting pseudo-actions). */
  readonly steps: number;
}

function describeAction(a: XmlElement): string {
  const { action = '?', resource = '?', node, source, dest, role, reason } = a.attrs;
  const next = a.attrs['next-role'];
  const where = dest && source ? ` from ${source} to ${dest}` : node ? ` on ${node}` : source ? ` on ${source}` : '';
  const roles = next ? ` (${role ?? '?'} → ${next})` : role && action !== 'start' ? ` (${role})` : '';
  return `${action} ${resource}${where}${roles}${reason ? `, because of ${reason}` : ''}`;
}

function resourcesOf(status: XmlElement | undefined): { id: string; role: string; nodes: string[]; failed: boolean; parent?: string }[] {
  const out: { id: string; role: string; nodes: string[]; failed: boolean; parent?: string }[] = [];
  const walk = (el: XmlElement, parent?: string): void => {
    for (const c of el.children) {
      if (c.name === 'resource') {
        out.push({ id: c.attrs['id'] ?? '?', role: c.attrs['role'] ?? '?', nodes: childrenNamed(c, 'node').map((n) => n.attrs['name'] ?? '?'), failed: c.attrs['failed'] === 'true', ...(parent ? { parent } : {}) });
      } else if (c.name === 'clone' || c.name === 'group' || c.name === 'bundle') walk(c, c.attrs['id']);
    }
  };
  const resources = status?.children.find((c) => c.name === 'resources');
  if (resources) walk(resources);
  return out;
}

/** Parse crm_simulate's XML (2.1 `--output-as=xml`) into a summary. */
export function summariseSimulation(xml: string, input: string): TransitionSummary {
  const doc = parseXmlDocument(xml, 'crm_simulate output');
  if (!doc.ok) throw new PcxFailure('simulate-unreadable', `crm_simulate's output for ${input} could not be read: ${doc.error.message}`, 'Run crm_simulate -S -x FILE on the node to see it.');
  const root = doc.value;
  const status = root.children.find((c) => c.name === 'cluster_status');
  const revised = root.children.find((c) => c.name === 'revised_cluster_status');
  const actions = childrenNamed(root.children.find((c) => c.name === 'actions'), 'rsc_action').map(describeAction);
  const before: string[] = [];
  for (const n of childrenNamed(status?.children.find((c) => c.name === 'nodes'), 'node')) {
    if (n.attrs['online'] !== 'true') before.push(`${n.attrs['name']} offline`);
    else if (n.attrs['standby'] === 'true') before.push(`${n.attrs['name']} in standby`);
    if (n.attrs['unclean'] === 'true') before.push(`${n.attrs['name']} unclean (needs fencing)`);
  }
  for (const r of resourcesOf(status)) if (r.failed) before.push(`${r.id} failed on ${r.nodes.join(', ') || 'no node'}`);
  const after = new Map<string, string[]>();
  for (const r of resourcesOf(revised)) {
    if (r.nodes.length === 0) continue;
    const key = r.parent ?? r.id;
    after.set(key, [...(after.get(key) ?? []), `${r.role} on ${r.nodes.join(', ')}`]);
  }
  const steps = childrenNamed(root.children.find((c) => c.name === 'transition'), 'rsc_action').length;
  return { input, actions, before, after: [...after].map(([id, where]) => `${id}: ${where.join(', ')}`), steps };
}

/** Replay a saved scheduler input on `runner`'s node. */
export async function simulateTransition(runner: CommandRunner, input: string): Promise<TransitionSummary> {
  if (!/^\/[\w./-]+\.bz2$/.test(input) || input.includes('..')) throw new PcxFailure('bad-input', `not a scheduler input file: ${input}`, 'Pass the path from a "Calculated transition" line.');
  const r = await runner.run(['crm_simulate', '--simulate', '--xml-file', input, '--output-as=xml'], { timeoutMs: 30_000 });
  if (r.code === 127) throw new PcxFailure('not-a-cluster-node', `crm_simulate is not installed on ${runner.host}`, 'Install pacemaker-cli-utils there.', runner.host);
  if (/Permission denied|insufficient privileges/i.test(r.stderr + r.stdout) || r.code === 4) {
    throw new PcxFailure('permission-denied', `${runner.user} may not read ${input} on ${runner.host}`, `Add ${runner.user} to the haclient group, or use sudo with: ${sudoersRule(runner.user, ['/usr/sbin/crm_simulate'])} — ${ROOT_EQUIVALENT_NOTE}`, runner.host);
  }
  if (/No such file|does not exist/i.test(r.stderr + r.stdout) && r.code !== 0) {
    throw new PcxFailure('pe-input-missing', `${input} is no longer on ${runner.host}`, 'The scheduler keeps a limited number of inputs (pe-input-series-max); the transition is too old, or it was calculated on another node (the DC at the time).', runner.host);
  }
  if (r.code !== 0) throw new PcxFailure('command-failed', `crm_simulate failed on ${runner.host} (exit ${r.code ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`, 'Run it on the node to see the full output.', runner.host);
  return summariseSimulation(r.stdout, input);
}

export function formatSummary(s: TransitionSummary): string[] {
  return [
    ...(s.before.length ? [`  before: ${s.before.join('; ')}`] : []),
    ...(s.actions.length ? [`  decided: ${s.actions.join('; ')}`] : ['  decided: nothing to do']),
    ...(s.after.length ? [`  after: ${s.after.join('; ')}`] : []),
    `  (${s.steps} operations in the transition graph; replayed with crm_simulate from ${s.input})`,
  ];
}
