/** Rules about constraints, roles and scores, and the Redis + VIP pack (resource-agents heartbeat/redis.in). */
import type { Range } from '../../lint/types';
import { lineRange } from '../../lint/types';
import type { ResourceRef } from '../ast';
import { parseAgent } from '../agentSpec';
import type { CrmModel } from '../model';
import { isPromotable, primitiveUnder, refsOf } from '../model';
import { isNumericScore, ROLES } from '../values';
import type { CrmRule, RuleContext } from './context';
import { closest } from './context';

const PE = 'Pacemaker Explained';
const ORDER_KINDS = ['Mandatory', 'Optional', 'Serialize'];
const DEPRECATED_ROLE: Record<string, string> = { Master: 'Promoted', Slave: 'Unpromoted' };

const roleCache = new WeakMap<CrmModel, readonly { role: string; range: Range }[]>();

/** Every role written in the file, with its range: constraint suffixes, role=, $role=, op role= (two rules ask; found once). */
function roleMentions(ctx: RuleContext): readonly { role: string; range: Range }[] {
  let found = roleCache.get(ctx.model);
  if (!found) roleCache.set(ctx.model, (found = findRoleMentions(ctx)));
  return found;
}

function findRoleMentions(ctx: RuleContext): { role: string; range: Range }[] {
  const out: { role: string; range: Range }[] = [];
  for (const n of ctx.model.doc.nodes) {
    if (n.type === 'colocation' || n.type === 'rsc_ticket' || n.type === 'location') {
      for (const i of n.items) for (const r of i.kind === 'ref' ? [i] : i.refs) if (r.suffix && r.suffixRange) out.push({ role: r.suffix, range: r.suffixRange });
    }
    if (n.type === 'location') {
      if (n.role) out.push({ role: n.role.value, range: n.role.valueRange });
      for (const r of n.rules) if (r.role) {
        const eq = r.role.raw.indexOf('=');
        out.push({ role: r.role.text.slice(r.role.text.indexOf('=') + 1), range: lineRange(r.role.range.start.line, r.role.range.start.character + eq + 1, r.role.range.end.character) });
      }
    }
    if (n.type === 'primitive') for (const o of n.ops) for (const a of o.attrs) if (a.name === 'role') out.push({ role: a.value, range: a.valueRange });
    if (n.type === 'primitive' || n.type === 'group' || n.type === 'clone' || n.type === 'ms') {
      for (const s of n.sets) for (const p of s.pairs) if (p.name === 'target-role') out.push({ role: p.value, range: p.valueRange });
    }
  }
  return out;
}

function isIpAgent(ctx: RuleContext, id: string): boolean {
  const p = primitiveUnder(ctx.model, id);
  return !!p?.agent && /^(IPaddr2?|IPsrcaddr)$/.test(parseAgent(p.agent.text).type) && ctx.model.defs.get(id)?.kind === 'primitive';
}

function isRedisClone(ctx: RuleContext, id: string): boolean {
  const p = primitiveUnder(ctx.model, id);
  return !!p?.agent && parseAgent(p.agent.text).type === 'redis' && isPromotable(ctx.model, id);
}

export const constraintRules: CrmRule[] = [
  {
    code: 'crm/ref-missing', severity: 'error', summary: 'A constraint, tag or ACL names a resource that does not exist (Pacemaker ignores the constraint, or refuses the CIB), or @ref names no attribute.', reference: `${PE}, Constraints; crmsh cibconfig.py`,
    check(ctx) {
      let known: string[] | undefined;
      for (const u of ctx.model.uses) {
        if (u.context !== 'constraint' && u.context !== 'tag' && u.context !== 'acl') continue;
        if (ctx.model.defs.has(u.id)) continue;
        if (u.context === 'acl') {
          // ref:ID may name an id crmsh generates (d0-instance_attributes…): only a name no object could have generated.
          if ([...ctx.model.defs.keys()].some((d) => u.id.startsWith(`${d}-`))) continue;
          ctx.report('crm/ref-missing', u.range, `No object "${u.id}" is defined: the ACL names it by id, and Pacemaker refuses the whole configuration (the schema's IDREF check: "references an unknown ID").`);
          continue;
        }
        const guess = closest(u.id, (known ??= [...ctx.model.defs.keys()]));
        ctx.report('crm/ref-missing', u.range, `No resource "${u.id}" is defined: Pacemaker would ignore this constraint without a word.${guess ? ` Did you mean "${guess}"?` : ''}`,
          guess ? [{ title: `Change to ${guess}`, edits: [{ range: u.range, newText: guess }], preferred: true }] : undefined);
      }
      // `params @other-id` reuses an nvpair by its (generated) id: `<set id>-<name>`.
      if (!ctx.model.primitives.some((n) => n.sets.some((st) => st.refs.length > 0))) return;
      const nvpairIds = new Set<string>();
      for (const n of ctx.model.doc.nodes) {
        if (!('sets' in n) || !n.id) continue;
        const count: Record<string, number> = {};
        for (const st of n.sets) {
          const el = st.kind === 'params' || st.kind === 'attributes' ? 'instance_attributes' : st.kind === 'meta' ? 'meta_attributes' : 'utilization';
          const k = count[el] ?? 0;
          count[el] = k + 1;
          const setId = st.id ?? (k === 0 ? `${n.id.text}-${el}` : `${n.id.text}-${el}-${k - 1}`);
          for (const p of st.pairs) nvpairIds.add(`${setId}-${p.name}`);
        }
      }
      for (const n of ctx.model.primitives) for (const st of n.sets) for (const r of st.refs) {
        const id = r.text.slice(1).split(':')[0]!;
        if (!nvpairIds.has(id)) ctx.report('crm/ref-missing', r.range, `No attribute with id "${id}": references name a generated id such as "<resource>-instance_attributes-<name>" (crmsh: "Reference not found").`);
      }
    },
  },
  {
    code: 'crm/ref-child', severity: 'error', summary: 'A constraint names the resource inside a clone instead of the clone (a CIB without status refuses it: the constraint is ignored).', reference: 'crm_verify ("Ignoring constraint … is not a valid resource or tag"); crmsh cibconfig.py',
    check(ctx) {
      for (const u of ctx.model.uses) {
        if (u.context !== 'constraint') continue;
        // A group member is a valid target, unless the group itself is cloned (then no instance is named "${u.id}").
        let parent = ctx.model.parentOf.get(u.id);
        const group = parent?.type === 'group' ? parent : undefined;
        if (group?.id) parent = ctx.model.parentOf.get(group.id.text);
        if (!parent || parent.type === 'group') continue;
        const clone = parent.id?.text ?? '';
        ctx.report('crm/ref-child', u.range, `"${u.id}" is the resource inside ${parent.type} "${clone}"${group ? ` (in group "${group.id?.text}")` : ''}: constrain "${clone}" instead. Loaded into a new cluster (a bootstrap, a CIB without status) Pacemaker ignores this constraint ("'${u.id}' is not a valid resource or tag"); only a running cluster whose status already holds the clone's instances resolves "${u.id}" to them.`,
          [{ title: `Change to ${clone}`, edits: [{ range: u.range, newText: clone }], preferred: true }]);
      }
    },
  },
  {
    code: 'crm/role-invalid', severity: 'error', summary: 'A role that is not Stopped, Started, Promoted, Unpromoted (or the old Master/Slave).', reference: 'crmsh parse.py ("Invalid role")',
    check(ctx) {
      for (const m of roleMentions(ctx)) {
        if (ROLES.some((r) => r.toLowerCase() === m.role.toLowerCase())) continue;
        ctx.report('crm/role-invalid', m.range, `Invalid role "${m.role}": use Started, Stopped, Promoted or Unpromoted.`);
      }
    },
  },
  {
    code: 'crm/role-deprecated', severity: 'warning', summary: 'Roles Master/Slave: deprecated since Pacemaker 2.1, use Promoted/Unpromoted.', versions: 'Pacemaker 2.1+', reference: 'Pacemaker ChangeLog 2.1.0',
    check(ctx) {
      for (const m of roleMentions(ctx)) {
        const to = DEPRECATED_ROLE[m.role];
        if (!to) continue;
        ctx.report('crm/role-deprecated', m.range, `Role "${m.role}" is deprecated since Pacemaker 2.1 (removed in 3.0): use "${to}".`, [{ title: `Change to ${to}`, edits: [{ range: m.range, newText: to }], preferred: true }]);
      }
    },
  },
  {
    code: 'crm/ms-deprecated', severity: 'warning', summary: '`ms` is deprecated (removed in Pacemaker 3): use `clone … meta promotable=true`.', versions: 'Pacemaker 2.0+', reference: 'Pacemaker ChangeLog 2.0.0; crmsh doc/crm.8.adoc',
    check(ctx) {
      for (const k of ctx.model.containers) {
        if (k.type !== 'ms') continue;
        const st = k.statement;
        const last = st.tokens[st.tokens.length - 1]!;
        const meta = k.sets.find((s) => s.kind === 'meta');
        const edits = [{ range: k.keyword.range, newText: 'clone' }];
        if (meta) edits.push({ range: { start: meta.keyword.range.end, end: meta.keyword.range.end }, newText: ' promotable=true' });
        else edits.push({ range: { start: last.range.end, end: last.range.end }, newText: ' \\\n\tmeta promotable=true' });
        ctx.report('crm/ms-deprecated', k.keyword.range, '"ms" is deprecated since Pacemaker 2.0 and gone in 3.0: write "clone … meta promotable=true".', [{ title: 'Convert to a promotable clone', edits, preferred: true }]);
      }
    },
  },
  {
    code: 'crm/score-invalid', severity: 'error', summary: 'A score that is neither a number nor inf (e.g. `infinty:`), or an order kind that is not Mandatory/Optional/Serialize (e.g. `Mandtory:`).', reference: 'crmsh parse.py validate_score ("Invalid kind"); pacemaker-3.7 schema (no score-attribute on constraints)',
    check(ctx) {
      for (const n of ctx.model.doc.nodes) {
        const score = n.type === 'colocation' || n.type === 'location' || n.type === 'order' ? n.score : undefined;
        if (!score) continue;
        const s = score.text.slice(0, -1);
        if (n.type === 'order') {
          if (isNumericScore(s) || ORDER_KINDS.some((k) => k.toLowerCase() === s.toLowerCase())) continue;
          const guess = closest(s, ORDER_KINDS);
          ctx.report('crm/score-invalid', score.range, `"${s}" is not an order kind: crmsh refuses the file ("Invalid kind: ${s}"). Write Mandatory, Optional or Serialize (or a number).`,
            guess ? [{ title: `Change to ${guess}:`, edits: [{ range: score.range, newText: `${guess}:` }], preferred: true }] : undefined);
          continue;
        }
        if (isNumericScore(s) || /^(advisory|mandatory)$/i.test(s)) continue;
        const guess = /^[+-]?inf/i.test(s) ? (s.startsWith('-') ? '-inf' : 'inf') : undefined;
        ctx.report('crm/score-invalid', score.range, `"${s}" is not a score: crmsh stores it as a score-attribute name, which the pacemaker-3.7 schema does not allow on a ${n.type} constraint, so Pacemaker refuses the whole configuration ("CIB does not validate"). Write a number or inf.`,
          guess ? [{ title: `Change to ${guess}:`, edits: [{ range: score.range, newText: `${guess}:` }], preferred: true }] : undefined);
      }
    },
  },
  {
    code: 'crm/score-clamped', severity: 'warning', summary: 'A score beyond ±1000000: Pacemaker clamps it to INFINITY.', reference: `${PE}, Scores`,
    check(ctx) {
      for (const n of ctx.model.doc.nodes) {
        const score = n.type === 'colocation' || n.type === 'location' ? n.score : undefined;
        const s = score?.text.slice(0, -1) ?? '';
        const num = Number(s);
        if (!score || !isNumericScore(s) || !Number.isFinite(num) || Math.abs(num) <= 1_000_000) continue;
        ctx.report('crm/score-clamped', score.range, `Scores are clamped to ±1000000 (INFINITY): ${s} acts as ${num > 0 ? 'inf' : '-inf'}; write "${num > 0 ? 'inf' : '-inf'}:".`);
      }
    },
  },
  {
    code: 'crm/location-node-unknown', severity: 'warning', summary: 'A location prefers a node the file does not declare (when it declares nodes); an invalid rsc-pattern regex.', reference: 'crmsh cibconfig.py ("referenced node … does not exist")',
    check(ctx) {
      for (const n of ctx.model.doc.nodes) {
        if (n.type !== 'location') continue;
        if (n.node && ctx.model.nodeNames.size > 0 && !ctx.model.nodeNames.has(n.node.text)) {
          ctx.report('crm/location-node-unknown', n.node.range, `Node "${n.node.text}" is not declared in this file (known: ${[...ctx.model.nodeNames].join(', ')}): check the name.`);
        }
        if (n.rscPattern) {
          try {
            new RegExp(n.rscPattern.value);
          } catch {
            ctx.report('crm/location-node-unknown', n.rscPattern.valueRange, `"${n.rscPattern.value}" is not a valid regular expression.`);
          }
        }
      }
    },
  },
  {
    code: 'crm/promotable-non-ocf', severity: 'error', summary: 'A promotable clone of a non-OCF agent (systemd, lsb cannot promote).', reference: `${PE}, Promotable clones`,
    check(ctx) {
      for (const k of ctx.model.containers) {
        if (!k.id || !isPromotable(ctx.model, k.id.text)) continue;
        const p = primitiveUnder(ctx.model, k.id.text);
        if (p?.agent && parseAgent(p.agent.text).class !== 'ocf') {
          ctx.report('crm/promotable-non-ocf', k.id.range, `"${k.id.text}" is promotable but "${p.id?.text}" is ${p.agent.text}: only OCF agents implement promote/demote.`);
        }
      }
    },
  },
  {
    code: 'crm/vip-colocation', severity: 'warning', summary: 'VIP colocated with the redis clone without :Promoted, or with the arguments reversed (the primitive inside the clone is crm/ref-child).', reference: 'resource-agents heartbeat/redis.in; Pacemaker Explained, Colocation',
    check(ctx) {
      for (const n of ctx.model.doc.nodes) {
        if (n.type !== 'colocation' || n.items.length !== 2 || n.items.some((i) => i.kind !== 'ref')) continue;
        const [a, b] = n.items as ResourceRef[];
        checkVipPair(ctx, a!, b!);
      }
    },
  },
  {
    code: 'crm/redis-clone', severity: 'warning', summary: 'Promotable redis clone without notify=true or promoted-max=1, or without a monitor per role.', reference: 'resource-agents heartbeat/redis.in',
    check(ctx) {
      for (const k of ctx.model.containers) {
        if (!k.id || !isRedisClone(ctx, k.id.text)) continue;
        const meta = new Map(k.sets.filter((s) => s.kind === 'meta').flatMap((s) => s.pairs.map((p) => [p.name, p.value] as const)));
        if (!/^(true|yes|1|on)$/i.test(meta.get('notify') ?? '')) {
          ctx.report('crm/redis-clone', k.id.range, `Redis clone "${k.id.text}" needs meta notify=true: the agent re-points replicas to the new primary on notifications.`);
        }
        const max = meta.get('promoted-max') ?? meta.get('master-max');
        if (max !== undefined && max !== '1') ctx.report('crm/redis-clone', k.id.range, `Redis clone "${k.id.text}" has promoted-max=${max}: Redis replication has exactly one primary, use promoted-max=1.`);
        const p = primitiveUnder(ctx.model, k.id.text)!;
        const roles = new Set(p.ops.filter((o) => o.action.text === 'monitor').map((o) => o.attrs.find((a) => a.name === 'role')?.value ?? ''));
        if (p.ops.some((o) => o.action.text === 'monitor') && !roles.has('Promoted') && !roles.has('Master')) {
          ctx.report('crm/redis-clone', p.id!.range, `"${p.id!.text}" has no "op monitor role=Promoted" with its own interval: the promoted instance is then not checked as primary.`);
        }
      }
    },
  },
  {
    code: 'crm/vip-order', severity: 'information', summary: 'VIP colocated with a promoted redis but no order `redis-clone:promote vip:start`.', reference: 'resource-agents heartbeat/redis.in',
    check(ctx) {
      for (const n of ctx.model.doc.nodes) {
        if (n.type !== 'colocation' || n.items.length !== 2 || n.items.some((i) => i.kind !== 'ref')) continue;
        const [a, b] = n.items as ResourceRef[];
        if (!isIpAgent(ctx, a!.id) || !isRedisClone(ctx, b!.id) || !/^(Promoted|Master)$/.test(b!.suffix ?? '')) continue;
        const ordered = ctx.model.doc.nodes.some((o) => o.type === 'order' && refsOf(o.items).some((r) => r.id === b!.id) && refsOf(o.items).some((r) => r.id === a!.id));
        if (!ordered) ctx.report('crm/vip-order', n.id!.range, `Add "order ${a!.id}-after-${b!.id} Mandatory: ${b!.id}:promote ${a!.id}:start" so the address moves only after promotion.`);
      }
    },
  },
];

function checkVipPair(ctx: RuleContext, a: ResourceRef, b: ResourceRef): void {
  if (isIpAgent(ctx, b.id) && (isRedisClone(ctx, a.id) || isRedisClone(ctx, ctx.model.parentOf.get(a.id)?.id?.text ?? ''))) {
    ctx.report('crm/vip-colocation', { start: a.idRange.start, end: b.token.range.end }, `Arguments reversed: "colocation … ${a.token.text} ${b.token.text}" places the Redis clone by the address. Write the VIP first: "${b.id} ${a.id}:Promoted".`, [
      { title: 'Swap to VIP first, with the Promoted role', edits: [{ range: { start: a.token.range.start, end: b.token.range.end }, newText: `${b.id} ${a.id}:Promoted` }], preferred: true },
    ]);
    return;
  }
  if (!isIpAgent(ctx, a.id)) return;
  if (ctx.model.parentOf.get(b.id)?.type === 'clone' || ctx.model.parentOf.get(b.id)?.type === 'ms') return; // crm/ref-child (an error) says it
  if (isRedisClone(ctx, b.id) && !/^(Promoted|Master)$/.test(b.suffix ?? '')) {
    ctx.report('crm/vip-colocation', b.token.range, `The VIP follows any instance of "${b.id}"${b.suffix ? ` in role ${b.suffix}` : ''}, not the primary: write "${b.id}:Promoted".`, [
      { title: `Change to ${b.id}:Promoted`, edits: [{ range: b.token.range, newText: `${b.id}:Promoted` }], preferred: true },
    ]);
  }
}
