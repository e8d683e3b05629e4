/** Rows for resources: primitives, groups, clones (with one row per instance) and bundles, with their tooltips. */
import { baseResourceId } from '../../cluster/names';
import { describePlacement, instancePlacements, placementParts, placementText, type PlacementPart } from '../../cluster/placementWords';
import { primitivesOf } from '../../cluster/snapshot';
import type { GroupStatus, PrimitiveStatus, ResourceStatus } from '../../cluster/types';
import { mdEscape, table } from '../../text/markdown';
import { contextValueOf, segment, type ExplorerNode } from '../model';
import { aggregateState, primitiveStateOf, promotableIcon, RESOURCE_ICONS } from '../states';
import { intervalText } from '../wording';
import type { RowContext } from './context';
import { cloneDecoration, instanceDecoration, serviceViewOf, vipDecoration, type WorkloadDecoration } from './workload';

function agentOf(r: ResourceStatus): string | undefined {
  return primitivesOf([r])[0]?.agent.name;
}

function vipSuffix(ctx: RowContext, r: ResourceStatus): string {
  const vip = ctx.snapshot.vips.find((v) => v.resource === r.id);
  if (!vip?.ip) return '';
  return ` · ${vip.ip}${vip.cidrNetmask ? `/${vip.cidrNetmask}` : ''}`;
}

function resourceTooltip(ctx: RowContext, r: ResourceStatus, title: string): string {
  const lines = [`**${mdEscape(r.id)}** — ${mdEscape(title)}`, ''];
  const placement = placementParts(r, ctx.memberNodes).map(({ role, nodes }) => [role, nodes.join(', ') || '—'] as const);
  if (placement.length > 0) lines.push(table(placement), '');
  const def = ctx.defs.get(r.id);
  const primitiveDef = def?.kind === 'primitive' ? def : def?.kind === 'clone' && def.child?.kind === 'primitive' ? def.child : undefined;
  if (primitiveDef && Object.keys(primitiveDef.params).length > 0) lines.push('**Parameters**', '', table(Object.entries(primitiveDef.params)), '');
  const meta = { ...(def?.kind === 'clone' && def.child ? def.child.meta : {}), ...(def?.meta ?? {}) };
  if (Object.keys(meta).length > 0) lines.push('**Meta attributes**', '', table(Object.entries(meta)), '');
  if (primitiveDef && primitiveDef.ops.length > 0) {
    lines.push(
      '**Operations**',
      '',
      ...primitiveDef.ops.map((o) => `- ${mdEscape(o.name)}${o.intervalMs ? ` every ${intervalText(o.intervalMs)}` : ''}${o.role ? ` (${mdEscape(o.role)})` : ''}${o.timeout ? `, timeout ${mdEscape(o.timeout)}` : ''}`),
      '',
    );
  }
  const ids = new Set([r.id, ...primitivesOf([r]).map((p) => baseResourceId(p.id))]);
  const counts = ctx.snapshot.failCounts.filter((f) => ids.has(baseResourceId(f.resource)));
  if (counts.length > 0) {
    lines.push('**Fail counts**', '', ...counts.map((f) => `- ${mdEscape(f.node)}: ${mdEscape(String(f.failCount))}${f.migrationThreshold !== undefined ? ` of migration-threshold ${mdEscape(String(f.migrationThreshold))}` : ''}`), '');
  }
  return lines.join('\n').trim();
}

function primitiveFlags(p: PrimitiveStatus): (string | false)[] {
  return [p.failed && 'failed', p.blocked && 'blocked', !p.managed && 'unmanaged', p.disabled && 'disabled', p.active ? 'active' : 'inactive'];
}

/** Rows of a promotable clone's instances carry their role (`instance primitive promoted …`) for role-specific menus. */
function roleFlag(p: PrimitiveStatus): string | false {
  return (p.role === 'Promoted' || p.role === 'Unpromoted') && p.role.toLowerCase();
}

function buildPrimitive(
  ctx: RowContext,
  parentId: string,
  p: PrimitiveStatus,
  kind: 'resource' | 'instance',
  key: string,
  placement: readonly PlacementPart[] = placementParts(p),
  clone?: string,
  workload?: WorkloadDecoration,
): ExplorerNode {
  const state = primitiveStateOf(p);
  const extra = [p.failed && 'FAILED', p.blocked && 'BLOCKED', !p.managed && 'unmanaged', p.disabled && p.active && 'disabled'].filter(Boolean);
  const deco = workload ?? (kind === 'resource' ? vipDecoration(ctx, p.id) : undefined);
  const description = [placementText(placement), ...extra].join(' · ') + (kind === 'resource' ? vipSuffix(ctx, p) : '') + (deco?.description ?? '') + (kind === 'resource' ? ` · ${p.agent.name}` : '');
  const tooltip = resourceTooltip(ctx, p, `${p.agent.name}, ${state}`);
  return {
    kind,
    id: `${parentId}/${segment(key)}`,
    label: kind === 'instance' ? baseResourceId(p.id) : p.id,
    description,
    tooltip: deco ? `${tooltip}\n\n${deco.tooltip}` : tooltip,
    icon: deco?.icon ?? RESOURCE_ICONS[state],
    contextValue: contextValueOf(kind, ['primitive', ...primitiveFlags(p), clone !== undefined && roleFlag(p)]),
    subject: clone !== undefined ? { resource: clone, node: p.nodes[0]?.name ?? placement[0]?.nodes[0] } : { resource: p.id },
    children: [],
  };
}

function buildInstanceGroup(ctx: RowContext, parentId: string, g: GroupStatus, index: number): ExplorerNode {
  const id = `${parentId}/instance/${index}`;
  const state = aggregateState(g);
  return {
    kind: 'instance',
    id,
    label: baseResourceId(g.id),
    description: describePlacement(g),
    tooltip: resourceTooltip(ctx, g, 'cloned group instance'),
    icon: { id: 'layers', color: RESOURCE_ICONS[state].color },
    contextValue: contextValueOf('instance', ['group']),
    children: g.children.map((c) => buildPrimitive(ctx, id, c, 'resource', c.id)),
  };
}

export function buildResource(ctx: RowContext, r: ResourceStatus): ExplorerNode {
  const id = `${ctx.root}/resource/${segment(r.id)}`;
  switch (r.kind) {
    case 'primitive':
      return buildPrimitive(ctx, `${ctx.root}/resource`, r, 'resource', r.id);
    case 'group': {
      const state = aggregateState(r);
      const running = r.children.filter((c) => c.active).length;
      return {
        kind: 'resource',
        id,
        label: r.id,
        description: `group · ${running}/${r.children.length} running · ${describePlacement(r)}`,
        tooltip: resourceTooltip(ctx, r, `group of ${r.children.length}`),
        icon: { id: 'layers', color: RESOURCE_ICONS[state].color },
        contextValue: contextValueOf('resource', ['group', r.disabled && 'disabled', !r.managed && 'unmanaged']),
        subject: { resource: r.id },
        expanded: true,
        children: r.children.map((c) => buildPrimitive(ctx, id, c, 'resource', c.id)),
      };
    }
    case 'clone': {
      const state = aggregateState(r);
      const agent = agentOf(r);
      const kindWord = r.promotable ? 'promotable clone' : 'clone';
      const perInstance = instancePlacements(r, ctx.memberNodes);
      const service = serviceViewOf(ctx, r.id);
      const instances = r.instances.map((i, index) =>
        i.kind === 'group'
          ? buildInstanceGroup(ctx, id, i, index)
          : buildPrimitive(ctx, id, i, 'instance', `instance/${index}`, perInstance[index], r.id, service && instanceDecoration(ctx, service, perInstance[index]?.[0]?.nodes[0])),
      );
      const deco = service && cloneDecoration(ctx, service);
      const tooltip = resourceTooltip(ctx, r, `${kindWord}${agent ? ` of ${agent}` : ''}`);
      return {
        kind: 'resource',
        id,
        label: r.id,
        description: `${describePlacement(r, ctx.memberNodes)}${r.failed ? ' · FAILED' : ''}${deco?.description ?? ''}${agent ? ` · ${agent}` : ''}`,
        tooltip: deco ? `${tooltip}\n\n${deco.tooltip}` : tooltip,
        icon: deco?.icon ?? (r.promotable ? promotableIcon(r, state) : { id: 'copy', color: RESOURCE_ICONS[state].color }),
        contextValue: contextValueOf('resource', ['clone', r.promotable && 'promotable', r.failed && 'failed', r.disabled && 'disabled', !r.managed && 'unmanaged']),
        subject: { resource: r.id },
        expanded: true,
        children: instances,
      };
    }
    case 'bundle': {
      const state = aggregateState(r);
      return {
        kind: 'resource',
        id,
        label: r.id,
        description: `bundle · ${r.image} · ${describePlacement(r)}`,
        tooltip: resourceTooltip(ctx, r, `${r.type} bundle of ${r.image}`),
        icon: { id: 'package', color: RESOURCE_ICONS[state].color },
        contextValue: contextValueOf('resource', ['bundle', r.failed && 'failed', !r.managed && 'unmanaged']),
        subject: { resource: r.id },
        children: r.replicas.flatMap((rep) => rep.resources.map((p) => buildPrimitive(ctx, `${id}/replica/${segment(rep.id)}`, p, 'instance', p.id))),
      };
    }
  }
}
