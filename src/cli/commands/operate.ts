/**
 * The verbs that change a cluster — cleanup, refresh, switchover, failover, move, ban, clear, standby, unstandby,
 * maintenance, restart, enable, disable, manage, unmanage, stop, start — one table over core/operations. Each prints its plan
 * (commands and the transition crm_simulate predicts), asks on a terminal (--yes skips, --dry-run stops there),
 * runs, waits for the cluster to settle, and reports before/after. Exit 0 done and verified, 1 done but different
 * from the plan or the wait ran out, 2 refused or failed.
 */
import { executePlan, type OperationOutcome } from '../../core/operations/execute';
import { isBackend } from '../../core/operations/backend';
import { outcomeJson, planJson, renderOutcome, renderPlan } from '../../core/operations/render';
import { prepareOperation } from '../../core/operations/prepare';
import { workloadCheck } from '../../core/operations/workloadCheck';
import { BACKENDS, type OperationRequest } from '../../core/operations/types';
import { SshPool } from '../../core/ssh/pool';
import { describeError, PcxFailure } from '../../core/util/result';
import { parseDuration, parseVerbArgs, usageError, usageText, validateDuration, type OptionTable, type VerbSpec } from '../args';
import { CHANGE_OPTIONS, confirmChange, EXIT_DIFFERENT, EXIT_DONE, EXIT_REFUSED } from '../change';
import { terminalPasswords } from '../passwords';
import { SOURCE_OPTIONS, connectOptionsFromSource, sourceProblem, targetFromSource, withExactRetryHint } from '../source';

const OPERATION_OPTIONS = {
  backend: { type: 'string', value: 'B', choices: BACKENDS, help: 'which tools run the change (default: pcs if the node has it, else crmsh,\nelse Pacemaker\'s own tools)' },
  timeout: { type: 'string', value: 'T', validate: validateDuration, help: 'longest wait for the cluster to settle after each step (default 2m)' },
} as const satisfies OptionTable;
const KEEP = { 'keep-constraint': { type: 'boolean', help: 'keep the cli- constraint the move creates (it is cleared once settled otherwise)' } } as const satisfies OptionTable;
const TO = { to: { type: 'string', value: 'NODE', help: 'the node to move to / to promote on' } } as const satisfies OptionTable;
const FROM = { from: { type: 'string', value: 'NODE', help: 'the node to ban it from' } } as const satisfies OptionTable;
const NODE = { node: { type: 'string', value: 'N', help: 'only on this node' } } as const satisfies OptionTable;

interface VerbDef {
  readonly synopsis: string;
  readonly description: string;
  readonly options: OptionTable;
  readonly positionals: { name: string; min: number; max: number };
  /** The request from positionals and options; a string is a usage error. */
  request(pos: readonly string[], v: Record<string, unknown>): OperationRequest | string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const resourceVerb = (kind: OperationRequest['kind'], description: string): VerbDef => ({
  synopsis: 'RESOURCE [source] [options]',
  description,
  options: {},
  positionals: { name: 'RESOURCE', min: 1, max: 1 },
  request: (pos) => ({ kind, resource: pos[0] }),
});

export const VERBS: Readonly<Record<string, VerbDef>> = {
  cleanup: {
    synopsis: '[RESOURCE] [--node N] [source] [options]',
    description: 'Forget failures (history and fail counts) of RESOURCE, or of every failed resource, so Pacemaker may run it there again.',
    options: NODE,
    positionals: { name: 'RESOURCE', min: 0, max: 1 },
    request: (pos, v) => ({ kind: 'cleanup', resource: pos[0], node: str(v.node) }),
  },
  switchover: {
    synopsis: 'RESOURCE --to NODE [source] [options]',
    description: 'Make a promotable clone Promoted on NODE: ban the Promoted role where it is, wait, clear the ban.',
    options: { ...TO, ...KEEP },
    positionals: { name: 'RESOURCE', min: 1, max: 1 },
    request: (pos, v) => (str(v.to) ? { kind: 'switchover', resource: pos[0], node: str(v.to), keepConstraint: v['keep-constraint'] === true } : 'switchover needs --to NODE'),
  },
  failover: {
    synopsis: 'RESOURCE [source] [options]',
    description: 'Demote a promotable clone where it is Promoted and let Pacemaker promote another instance.',
    options: KEEP,
    positionals: { name: 'RESOURCE', min: 1, max: 1 },
    request: (pos, v) => ({ kind: 'failover', resource: pos[0], keepConstraint: v['keep-constraint'] === true }),
  },
  move: {
    synopsis: 'RESOURCE --to NODE [source] [options]',
    description: 'Move a resource to NODE (a cli-prefer constraint, cleared again once the cluster settled).',
    options: { ...TO, ...KEEP },
    positionals: { name: 'RESOURCE', min: 1, max: 1 },
    request: (pos, v) => (str(v.to) ? { kind: 'move', resource: pos[0], node: str(v.to), keepConstraint: v['keep-constraint'] === true } : 'move needs --to NODE'),
  },
  ban: {
    synopsis: 'RESOURCE --from NODE [source] [options]',
    description: 'Keep a resource off NODE (a cli-ban constraint that stays until `pcx clear`).',
    options: FROM,
    positionals: { name: 'RESOURCE', min: 1, max: 1 },
    request: (pos, v) => (str(v.from) ? { kind: 'ban', resource: pos[0], node: str(v.from) } : 'ban needs --from NODE'),
  },
  clear: resourceVerb('clear', 'Remove the cli-prefer/cli-ban constraints that move and ban left on a resource.'),
  refresh: resourceVerb('refresh', "Forget the recorded state of a resource on every node and probe it again (crm_resource --refresh), for when\nthe cluster's view and the node disagree. Unlike cleanup it is not about failures."),
  restart: resourceVerb('restart', 'Stop and start a resource where it runs.'),
  enable: resourceVerb('enable', 'Let a resource run: remove its target-role (the default is Started), as pcs resource enable does.'),
  disable: resourceVerb('disable', 'Stop a resource everywhere (target-role Stopped).'),
  manage: resourceVerb('manage', 'Let Pacemaker manage a resource again: remove its is-managed (the default is true), as pcs resource manage does.'),
  unmanage: resourceVerb('unmanage', 'Stop Pacemaker managing a resource; it keeps running (is-managed false).'),
  standby: {
    synopsis: 'NODE [source] [options]',
    description: 'Put NODE in standby: its resources move to the other nodes.',
    options: {},
    positionals: { name: 'NODE', min: 1, max: 1 },
    request: (pos) => ({ kind: 'standby', node: pos[0] }),
  },
  unstandby: {
    synopsis: 'NODE [source] [options]',
    description: 'Take NODE out of standby.',
    options: {},
    positionals: { name: 'NODE', min: 1, max: 1 },
    request: (pos) => ({ kind: 'unstandby', node: pos[0] }),
  },
  maintenance: {
    synopsis: 'on|off [--node N] [source] [options]',
    description: "Cluster maintenance-mode on or off (Pacemaker leaves every resource alone), or one node's maintenance with --node.",
    options: NODE,
    positionals: { name: 'on|off', min: 1, max: 1 },
    request: (pos, v) => {
      if (pos[0] !== 'on' && pos[0] !== 'off') return `maintenance takes on or off, not ${JSON.stringify(pos[0])}`;
      const node = str(v.node);
      return node ? { kind: 'node-maintenance', node, on: pos[0] === 'on' } : { kind: 'maintenance-mode', on: pos[0] === 'on' };
    },
  },
  stop: {
    synopsis: '[--node N] [source] [options]',
    description: 'Stop the cluster services (Pacemaker, then Corosync) on node N, or on every node one after another\n(the Promoted node last). Stopping the last online node stops every resource: on a terminal it asks for the\ncluster\'s name; scripts pass --yes.',
    options: { node: { type: 'string', value: 'N', help: 'only this node (its resources move to the others)' } },
    positionals: { name: '', min: 0, max: 0 },
    request: (_pos, v) => (str(v.node) ? { kind: 'node-stop', node: str(v.node) } : { kind: 'cluster-stop' }),
  },
  start: {
    synopsis: '[--node N | --first NODE] [source] [options]',
    description: 'Start the cluster services on node N, or start a stopped cluster in order: Corosync everywhere, Pacemaker on\nthe first node until it is DC and its promotable clones are Promoted there, then the other nodes.',
    options: {
      node: { type: 'string', value: 'N', help: 'only this node (it joins the running cluster)' },
      first: { type: 'string', value: 'NODE', help: 'ordered start: the node to start first (default: where the promotable\nclone was last Promoted, else the first node of the configuration)' },
    },
    positionals: { name: '', min: 0, max: 0 },
    request: (_pos, v) => {
      if (str(v.node) && str(v.first)) return 'start takes --node (one node) or --first (ordered start of the cluster), not both';
      return str(v.node) ? { kind: 'node-start', node: str(v.node) } : { kind: 'cluster-start', ...(str(v.first) ? { first: str(v.first) } : {}) };
    },
  },
};

function specFor(name: string, def: VerbDef): VerbSpec {
  return {
    name,
    synopsis: def.synopsis,
    description: def.description,
    groups: [
      { title: 'source', options: SOURCE_OPTIONS },
      { title: 'operation', options: { ...def.options, ...OPERATION_OPTIONS, ...CHANGE_OPTIONS } },
    ],
    positionals: def.positionals,
    footer: 'exit codes: 0 done and verified, 1 done but different from the plan (or the wait ran out), 2 refused or failed',
  };
}

/** The request a verb's command line makes (a string: what is wrong with it). For tests and previews' "pcx …" lines. */
export function requestFromArgs(name: string, args: readonly string[]): OperationRequest | string {
  const def = VERBS[name];
  if (!def) return `no such operation verb: ${name}`;
  const parsed = parseVerbArgs(specFor(name, def), args);
  if (!parsed.ok) return describeError(parsed.error);
  return def.request(parsed.value.positionals, parsed.value.values as Record<string, unknown>);
}

function exitFor(o: OperationOutcome): number {
  return o.status === 'done' ? EXIT_DONE : o.status === 'failed' ? EXIT_REFUSED : EXIT_DIFFERENT;
}

export async function runVerb(name: string, args: readonly string[]): Promise<number> {
  const def = VERBS[name];
  if (!def) throw new Error(`no such operation verb: ${name}`);
  const spec = specFor(name, def);
  const say = (text: string) => process.stderr.write(`pcx ${name}: ${text}\n`);
  const parsed = parseVerbArgs(spec, args);
  if (!parsed.ok) {
    say(`${describeError(parsed.error)}\n\n${usageText(spec)}`);
    return EXIT_REFUSED;
  }
  if (parsed.value.help) {
    process.stdout.write(usageText(spec) + '\n');
    return 0;
  }
  const v = parsed.value.values as Record<string, unknown> & Parameters<typeof sourceProblem>[0] & { json: boolean; yes: boolean; 'dry-run': boolean };
  const req = def.request(parsed.value.positionals, v);
  const problem = typeof req === 'string' ? req : sourceProblem(v);
  if (typeof req === 'string' || problem) {
    say(`${describeError(usageError(spec, problem ?? String(req)))}`);
    return EXIT_REFUSED;
  }
  const backend = str(v.backend);
  const settleTimeoutMs = str(v.timeout) ? parseDuration(str(v.timeout)!) : undefined;
  const json = v.json;
  const emitJson = (body: Record<string, unknown>) => json && process.stdout.write(JSON.stringify(body, null, 2) + '\n');
  const connect = connectOptionsFromSource(v, name);
  const pool = new SshPool(connect, { attempts: 1 });
  try {
    const target = await targetFromSource(v);
    let prepared;
    try {
      prepared = await prepareOperation(target, req, { ...connect, pool, backend: backend && isBackend(backend) ? backend : undefined });
    } catch (e) {
      throw withExactRetryHint(e, name, args);
    }
    for (const s of prepared.skipped) say(`warning: skipped ${s.host ?? '?'}: ${s.message}`);
    const { plan, runner } = prepared;
    if (!json) process.stdout.write(renderPlan(plan));
    const decision = await confirmChange({
      verb: name,
      dryRun: v['dry-run'],
      yes: v.yes,
      ...(plan.dangers.length > 0 ? { typeToConfirm: plan.clusterName ?? plan.host, question: `This ${plan.dangers.join(' and ')}.` } : {}),
    });
    if (decision !== 'go') {
      emitJson({ plan: planJson(plan), outcome: null, decision });
      return decision === 'dry-run' ? EXIT_DONE : EXIT_REFUSED;
    }
    // Ctrl-C while waiting: stop waiting, still run the clean-up steps, report what is pending.
    const abort = new AbortController();
    const onSigint = () => abort.abort();
    process.once('SIGINT', onSigint);
    let outcome: OperationOutcome;
    try {
      outcome = await executePlan(runner, plan, {
        nodes: prepared.nodes,
        workload: workloadCheck(target, pool, { passwords: terminalPasswords() }),
        signal: abort.signal,
        settleTimeoutMs,
        onProgress: json ? undefined : (m) => say(m),
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    if (json) emitJson({ plan: planJson(plan), outcome: outcomeJson(outcome), decision });
    else process.stdout.write('\n' + renderOutcome(outcome));
    return exitFor(outcome);
  } catch (e) {
    if (!(e instanceof PcxFailure)) throw e;
    // Nothing to do is not a failure: the cluster already is as asked.
    if (e.code === 'no-change') {
      say(`${e.message}; nothing to do`);
      emitJson({ plan: null, outcome: null, decision: 'no-change', message: e.message });
      return EXIT_DONE;
    }
    emitJson({ error: { code: e.code, message: e.message, hint: e.hint ?? null, host: e.host ?? null } });
    say(describeError(e));
    return EXIT_REFUSED;
  } finally {
    pool.closeAll();
  }
}
