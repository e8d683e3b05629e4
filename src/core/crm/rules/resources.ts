/** Rules about resources: ids, agents, parameters, meta attributes, operations, containers. */
import { lineRange } from '../../lint/types';
import type { PrimitiveNode } from '../ast';
import { parseAgent } from '../agentSpec';
import type { AgentCatalog, AgentMeta } from '../agents';
import { agentKey, caseInsensitiveMatch, STONITH_COMMON_PARAMS } from '../agents';
import { ID_PATTERN } from '../parser';
import { DEPRECATED_META, RESOURCE_META, TIME_RE, timeToMs } from '../schema';
import type { CrmRule, RuleContext } from './context';
import { closest } from './context';

const PE = 'Pacemaker Explained';

interface AgentOf {
  readonly spec: ReturnType<typeof parseAgent>;
  readonly key: string;
  readonly meta: AgentMeta | undefined;
}

// Seven rules ask about each primitive's agent: looked up once per primitive and catalog (a lint pass parses
// afresh, so its nodes are new and nothing carries over from an earlier pass).
const agentCache = new WeakMap<AgentCatalog, WeakMap<PrimitiveNode, AgentOf>>();

function agentOf(ctx: RuleContext, p: PrimitiveNode): AgentOf | undefined {
  if (!p.agent) return undefined;
  let byNode = agentCache.get(ctx.agents);
  if (!byNode) agentCache.set(ctx.agents, (byNode = new WeakMap()));
  let a = byNode.get(p);
  if (!a) {
    const spec = parseAgent(p.agent.text);
    const key = agentKey(spec);
    a = { spec, key, meta: ctx.agents.get(key) };
    byNode.set(p, a);
  }
  return a;
}

/** An agent's parameter names, unique parameter names and action names (in meta-data order), made once per agent. */
const namesCache = new WeakMap<AgentMeta, { readonly params: ReadonlySet<string>; readonly unique: ReadonlySet<string>; readonly actions: ReadonlySet<string> }>();
function namesOf(meta: AgentMeta) {
  let n = namesCache.get(meta);
  if (!n) {
    n = { params: new Set(meta.parameters.map((x) => x.name)), unique: new Set(meta.parameters.filter((x) => x.unique).map((x) => x.name)), actions: new Set(meta.actions.map((x) => x.name)) };
    namesCache.set(meta, n);
  }
  return n;
}

export const resourceRules: CrmRule[] = [
  {
    code: 'crm/duplicate-id', severity: 'error', summary: 'Two objects (resources, constraints, property sets; or two nodes) share one id.', reference: 'crmsh cibconfig.py; Pacemaker CIB ids are unique',
    check(ctx) {
      // Node ids are unique among nodes; everything else shares one id space (crmsh accepts a node and a resource both called node1).
      const seen = new Map<string, number>();
      for (const d of ctx.model.allDefs) {
        const key = d.kind === 'node' ? `node:${d.id}` : d.id;
        const line = seen.get(key);
        if (line !== undefined) ctx.report('crm/duplicate-id', d.range, `Id "${d.id}" is already used on line ${line + 1}: every ${d.kind === 'node' ? 'node' : 'resource, constraint and set'} needs its own id.`);
        else seen.set(key, d.range.start.line);
      }
    },
  },
  {
    code: 'crm/invalid-id', severity: 'error', summary: 'An id that is not a valid XML id (must start with a letter or _).', reference: `${PE}; crmsh cibconfig.py`,
    check(ctx) {
      for (const d of ctx.model.allDefs) {
        if (d.kind === 'node' || d.kind === 'property') continue;
        if (!ID_PATTERN.test(d.id)) ctx.report('crm/invalid-id', d.range, `"${d.id}" is not a valid id: start with a letter or "_" and use only letters, digits, ".", "_" and "-".`);
      }
    },
  },
  {
    code: 'crm/agent-case', severity: 'error', summary: 'Agent name differs from an installed agent only in letter case (IPAddr2).', reference: 'crmsh ra.py; agents are looked up case-sensitively',
    check(ctx) {
      for (const p of ctx.model.primitives) {
        const a = agentOf(ctx, p);
        if (!a || a.meta) continue;
        const match = caseInsensitiveMatch(ctx.agents, a.key);
        if (!match) continue;
        const wanted = parseAgent(match);
        const text = p.agent!.text;
        const fixed = text.includes(':') ? match : wanted.type;
        ctx.report('crm/agent-case', p.agent!.range, `Unknown agent "${text}": agent names are case-sensitive, did you mean "${fixed}"?`, [
          { title: `Change to ${fixed}`, edits: [{ range: p.agent!.range, newText: fixed }], preferred: true },
        ]);
      }
    },
  },
  {
    code: 'crm/agent-not-installed', severity: 'warning', summary: 'The connected cluster\'s node does not have the agent: Pacemaker would fail to start the resource there.', reference: 'crm_resource --show-metadata on the node; Pacemaker Explained, Resource Agents',
    check(ctx) {
      for (const p of ctx.model.primitives) {
        const a = agentOf(ctx, p);
        const gone = a && ctx.absent(a.key);
        if (!gone) continue;
        ctx.report('crm/agent-not-installed', p.agent!.range, `${a.key} is not installed on ${gone.source} (${gone.why}): Pacemaker cannot start ${p.id?.text ?? 'the resource'} there. Install the agent's package on every node, or check the spelling.`);
      }
    },
  },
  {
    code: 'crm/agent-spec', severity: 'error', summary: 'Malformed agent spec: unknown class, or an OCF agent without a provider.', reference: 'crmsh ra.py disambiguate_ra_type',
    check(ctx) {
      for (const p of ctx.model.primitives) {
        if (!p.agent) continue;
        const parts = p.agent.text.split(':');
        const cls = parts[0]!;
        if (parts.length > 1 && !['ocf', 'stonith', 'lsb', 'systemd', 'service', 'upstart', 'nagios'].includes(cls)) {
          ctx.report('crm/agent-spec', lineRange(p.agent.range.start.line, p.agent.range.start.character, p.agent.range.start.character + cls.length),
            `Unknown resource class "${cls}": use ocf:provider:type, stonith:fence_x, systemd:unit, lsb:script or service:name.`);
        } else if (parts.length > 3 || parts.some((x) => x === '')) {
          ctx.report('crm/agent-spec', p.agent.range, `Malformed agent "${p.agent.text}": write class:provider:type, e.g. ocf:heartbeat:IPaddr2.`);
        }
      }
    },
  },
  {
    code: 'crm/param-required', severity: 'error', summary: 'A parameter the agent requires is missing (IPaddr2 needs ip).', reference: 'crmsh ra.py; the agent\'s meta-data (required="1")',
    check(ctx) {
      for (const p of ctx.model.primitives) {
        const a = agentOf(ctx, p);
        if (!a?.meta) continue;
        const given = new Set(p.sets.filter((s) => s.kind === 'params').flatMap((s) => [...s.pairs.map((x) => x.name), ...(s.refs.length || s.idRef ? ['*'] : [])]));
        if (given.has('*')) continue;
        for (const param of a.meta.parameters) {
          if (param.required && !given.has(param.name)) {
            ctx.report('crm/param-required', p.agent!.range, `${a.key} requires parameter "${param.name}" (${param.shortdesc || param.name}): add "params ${param.name}=…".`);
          }
        }
      }
    },
  },
  {
    code: 'crm/param-unknown', severity: 'error', summary: 'A parameter the agent does not have (typo, or the wrong agent).', reference: 'crmsh ra.py; the agent\'s meta-data',
    check(ctx) {
      for (const p of ctx.model.primitives) {
        const a = agentOf(ctx, p);
        if (!a?.meta) continue;
        const names = namesOf(a.meta).params;
        for (const s of p.sets) {
          if (s.kind !== 'params') continue;
          for (const pair of s.pairs) {
            if (names.has(pair.name) || (a.spec.class === 'stonith' && STONITH_COMMON_PARAMS.has(pair.name))) continue;
            const guess = closest(pair.name, names);
            const metaHint = RESOURCE_META[pair.name] !== undefined ? ` "${pair.name}" is a meta attribute: move it to "meta".` : '';
            ctx.report('crm/param-unknown', pair.nameRange, `${a.key} has no parameter "${pair.name}".${guess ? ` Did you mean "${guess}"?` : ''}${metaHint}`,
              guess ? [{ title: `Change to ${guess}`, edits: [{ range: pair.nameRange, newText: guess }], preferred: true }] : undefined);
          }
        }
      }
    },
  },
  {
    code: 'crm/param-unique-shared', severity: 'warning', summary: 'Two resources of one agent share the value of a unique parameter (same VIP twice).', reference: 'crmsh cibconfig.py; meta-data unique="1"',
    check(ctx) {
      const seen = new Map<string, string>();
      for (const p of ctx.model.primitives) {
        const a = agentOf(ctx, p);
        if (!a?.meta) continue;
        const unique = namesOf(a.meta).unique;
        for (const s of p.sets) {
          if (s.kind !== 'params' || s.rules.length) continue;
          for (const pair of s.pairs) {
            if (!unique.has(pair.name)) continue;
            const key = `${a.key}/${pair.name}=${pair.value}`;
            const other = seen.get(key);
            if (other) ctx.report('crm/param-unique-shared', pair.valueRange, `${pair.name}=${pair.value} is also used by "${other}", but ${a.key} needs a unique ${pair.name} per resource.`);
            else seen.set(key, p.id?.text ?? '');
          }
        }
      }
    },
  },
  {
    code: 'crm/meta-unknown', severity: 'warning', summary: 'A meta attribute Pacemaker does not know (it is stored and ignored).', reference: `${PE}, Resource Meta-Attributes`,
    check(ctx) {
      for (const n of ctx.model.doc.nodes) {
        if (n.type !== 'primitive' && n.type !== 'group' && n.type !== 'clone' && n.type !== 'ms' && n.type !== 'rsc_template' && n.type !== 'rsc_defaults') continue;
        for (const s of n.sets) {
          if (s.kind !== 'meta') continue;
          for (const pair of s.pairs) {
            if (RESOURCE_META[pair.name] !== undefined) continue;
            const guess = closest(pair.name, Object.keys(RESOURCE_META));
            ctx.report('crm/meta-unknown', pair.nameRange, `Unknown meta attribute "${pair.name}": Pacemaker ignores it.${guess ? ` Did you mean "${guess}"?` : ''}`,
              guess ? [{ title: `Change to ${guess}`, edits: [{ range: pair.nameRange, newText: guess }], preferred: true }] : undefined);
          }
        }
      }
    },
  },
  {
    code: 'crm/meta-deprecated', severity: 'warning', summary: 'master-max / master-node-max: renamed promoted-max / promoted-node-max in Pacemaker 2.1.', versions: 'Pacemaker 2.1+', reference: 'Pacemaker ChangeLog 2.1.0',
    check(ctx) {
      for (const n of ctx.model.containers) {
        for (const s of n.sets) for (const pair of s.pairs) {
          const to = DEPRECATED_META[pair.name];
          if (to) ctx.report('crm/meta-deprecated', pair.nameRange, `"${pair.name}" is deprecated since Pacemaker 2.1: use "${to}".`, [{ title: `Rename to ${to}`, edits: [{ range: pair.nameRange, newText: to }], preferred: true }]);
        }
      }
    },
  },
  {
    code: 'crm/monitor-missing', severity: 'warning', summary: 'A resource without a recurring monitor op: Pacemaker never notices it failing.', reference: `${PE}, Monitoring Resources for Failure`,
    check(ctx) {
      for (const p of ctx.model.primitives) {
        if (p.type !== 'primitive' || !p.agent || p.template || p.operationsIdRef) continue;
        const hasMonitor = p.ops.some((o) => o.action.text === 'monitor' && o.attrs.some((a) => a.name === 'interval' && (timeToMs(a.value) ?? 1) > 0));
        if (hasMonitor) continue;
        const a = agentOf(ctx, p);
        const adv = a?.meta?.actions.find((x) => x.name === 'monitor' && !x.role);
        const interval = adv?.interval && adv.interval !== '0' && adv.interval !== '0s' ? adv.interval : '10s';
        const timeout = adv?.timeout ?? '20s';
        const last = p.statement.tokens[p.statement.tokens.length - 1]!;
        const text = ` \\\n\top monitor interval=${interval} timeout=${timeout}`;
        ctx.report('crm/monitor-missing', p.id!.range, `"${p.id!.text}" has no recurring monitor: Pacemaker will not notice if it fails. Add "op monitor interval=${interval} timeout=${timeout}".`, [
          { title: `Add op monitor interval=${interval}`, edits: [{ range: { start: last.range.end, end: last.range.end }, newText: text }], preferred: true },
        ]);
      }
    },
  },
  {
    code: 'crm/op-interval', severity: 'error', summary: 'Two ops with the same action and interval, or two monitors with one interval (roles need distinct intervals).', reference: `${PE}, Resource Operations`,
    check(ctx) {
      for (const p of ctx.model.primitives) {
        const seen = new Map<string, number>();
        for (const o of p.ops) {
          const iv = o.attrs.find((a) => a.name === 'interval');
          const ms = iv ? timeToMs(iv.value) : 0;
          if (ms === undefined || ms === 0) continue;
          const key = `${o.action.text}/${ms}`;
          const prev = seen.get(key);
          if (prev !== undefined) ctx.report('crm/op-interval', iv!.valueRange, `Another ${o.action.text} op on line ${prev + 1} has the same interval: give each monitor (each role) its own interval.`);
          else seen.set(key, o.keyword.range.start.line);
        }
      }
    },
  },
  {
    code: 'crm/op-interval-nonzero', severity: 'warning', summary: 'start/stop/promote/demote with a non-zero interval, or a monitor with interval 0.', reference: `${PE}, Resource Operations`,
    check(ctx) {
      for (const p of ctx.model.primitives) for (const o of p.ops) {
        const iv = o.attrs.find((a) => a.name === 'interval');
        if (!iv) continue;
        const ms = timeToMs(iv.value);
        if (ms === undefined) continue;
        if (['start', 'stop', 'promote', 'demote', 'migrate_to', 'migrate_from'].includes(o.action.text) && ms !== 0) {
          ctx.report('crm/op-interval-nonzero', iv.valueRange, `"${o.action.text}" is not recurring: its interval must be 0 (remove interval=${iv.value}).`);
        } else if (o.action.text === 'monitor' && ms === 0) {
          ctx.report('crm/op-interval-nonzero', iv.valueRange, 'A monitor with interval=0 is a one-time probe setting, not a recurring check: give it an interval such as 10s.');
        }
      }
    },
  },
  {
    code: 'crm/op-time-format', severity: 'error', summary: 'interval/timeout/start-delay not a number with ms|s|m|h units or ISO 8601.', reference: `${PE}, Time notation`,
    check(ctx) {
      for (const p of ctx.model.primitives) for (const o of p.ops) for (const a of o.attrs) {
        if (['interval', 'timeout', 'start-delay'].includes(a.name) && !TIME_RE.test(a.value)) {
          ctx.report('crm/op-time-format', a.valueRange, `"${a.value}" is not a time: write e.g. 10s, 500ms, 2min, 1h or PT10S.`);
        }
      }
    },
  },
  {
    code: 'crm/op-timeout-low', severity: 'warning', summary: 'An op timeout below what the agent advises.', reference: 'crmsh ra.py; the agent\'s meta-data <actions>',
    check(ctx) {
      for (const p of ctx.model.primitives) {
        const a = agentOf(ctx, p);
        if (!a?.meta) continue;
        for (const o of p.ops) {
          const t = o.attrs.find((x) => x.name === 'timeout');
          const ms = t ? timeToMs(t.value) : undefined;
          const adv = a.meta.actions.find((x) => x.name === o.action.text && x.timeout);
          const advMs = adv?.timeout ? timeToMs(adv.timeout) : undefined;
          if (ms !== undefined && advMs !== undefined && ms < advMs) {
            ctx.report('crm/op-timeout-low', t!.valueRange, `${a.key} advises at least ${adv!.timeout} for ${o.action.text}; timeout=${t!.value} may fail a healthy resource.`);
          }
        }
      }
    },
  },
  {
    code: 'crm/op-unknown-action', severity: 'error', summary: 'An op the agent does not implement (op promote on an agent that cannot promote).', reference: 'crmsh ra.py; the agent\'s meta-data <actions>',
    check(ctx) {
      for (const p of ctx.model.primitives) {
        const a = agentOf(ctx, p);
        if (!a?.meta || a.meta.actions.length === 0) continue;
        const names = namesOf(a.meta).actions;
        for (const o of p.ops) {
          if (!names.has(o.action.text)) ctx.report('crm/op-unknown-action', o.action.range, `${a.key} has no "${o.action.text}" action (it has ${[...names].join(', ')}).`);
        }
      }
    },
  },
  {
    code: 'crm/container-child', severity: 'error', summary: 'A group/clone names a resource that does not exist, is listed twice, or is already in another container; a group holds a non-primitive.', reference: 'crmsh cibconfig.py; pacemaker.rng',
    check(ctx) {
      const owner = new Map<string, string>();
      for (const k of ctx.model.containers) {
        const here = new Set<string>();
        for (const ch of k.children) {
          const d = ctx.model.defs.get(ch.text);
          if (!d) ctx.report('crm/container-child', ch.range, `"${ch.text}" is not defined: define "primitive ${ch.text} …" or fix the name.`);
          else if (here.has(ch.text)) ctx.report('crm/container-child', ch.range, `"${ch.text}" is listed twice in ${k.type} "${k.id?.text}": remove one.`);
          else if (owner.has(ch.text)) ctx.report('crm/container-child', ch.range, `"${ch.text}" is already in "${owner.get(ch.text)}": a resource can be in only one group or clone.`);
          else if (k.type === 'group' && d.kind !== 'primitive') ctx.report('crm/container-child', ch.range, `A group can hold only primitives; "${ch.text}" is a ${d.kind}. Clone the group instead of grouping the clone.`);
          here.add(ch.text);
          if (!owner.has(ch.text)) owner.set(ch.text, k.id?.text ?? '');
        }
      }
    },
  },
];
