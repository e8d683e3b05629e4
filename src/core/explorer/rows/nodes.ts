/** Rows for nodes: state, DC, what runs there (placements) and node attributes. */
import { nodeConditionsOf } from '../../cluster/nodeState';
import { placementsOn } from '../../cluster/placementWords';
import type { NodeView } from '../../cluster/types';
import { mdCode, mdEscape, table } from '../../text/markdown';
import { contextValueOf, segment, type ExplorerNode } from '../model';
import { NODE_ICONS, nodeStateOf, roleIcon } from '../states';
import type { RowContext } from './context';

/** "online · standby · DC · 3 resources": the same state words `pcx status` prints. */
function nodeDescription(n: NodeView): string {
  const parts = nodeConditionsOf(n).map((c) => c.word);
  if (n.isDc) parts.push('DC');
  if (n.online) parts.push(`${n.resourcesRunning} resource${n.resourcesRunning === 1 ? '' : 's'}`);
  if (n.type !== 'member') parts.push(n.type);
  return parts.join(' · ');
}

export function buildNode(ctx: RowContext, n: NodeView): ExplorerNode {
  const id = `${ctx.root}/node/${segment(n.name)}`;
  const state = nodeStateOf(n);
  const placements = placementsOn(n.name, ctx.snapshot.resources).map(
    (p): ExplorerNode => ({
      kind: 'placement',
      id: `${id}/runs/${segment(p.resource)}`,
      label: p.resource,
      description: p.role,
      icon: roleIcon(p.role),
      contextValue: contextValueOf('placement'),
      tooltip: `**${mdEscape(p.resource)}** runs on ${mdEscape(n.name)} as ${mdEscape(p.role)}`,
      children: [],
    }),
  );
  const attrs: ExplorerNode[] = [
    ...n.attributes.map((a) => ({ name: a.name, value: a.value, transient: true })),
    ...Object.entries(n.cibAttributes).map(([name, value]) => ({ name, value, transient: false })),
  ].map((a) => ({
    kind: 'attribute',
    id: `${id}/attr/${a.transient ? 't' : 'p'}/${segment(a.name)}`,
    label: a.name,
    description: a.value,
    icon: { id: a.transient ? 'symbol-field' : 'symbol-constant' },
    contextValue: contextValueOf('attribute', [a.transient ? 'transient' : 'permanent']),
    tooltip: `${a.transient ? 'Transient' : 'Permanent'} node attribute ${mdCode(a.name)} = ${mdCode(a.value)}`,
    children: [],
  }));
  const tooltip = [
    `**${mdEscape(n.name)}** — ${nodeConditionsOf(n).map((c) => c.word).join(', ')}${n.isDc ? ' (Designated Controller)' : ''}`,
    '',
    table([
      ['id', n.id],
      ['type', n.type],
      ['resources running', String(n.resourcesRunning)],
      ...(n.health ? [['health', n.health] as const] : []),
      ...(n.featureSet ? [['feature set', n.featureSet] as const] : []),
    ]),
  ].join('\n');
  return {
    kind: 'node',
    id,
    label: n.name,
    description: nodeDescription(n),
    tooltip,
    icon: NODE_ICONS[state],
    contextValue: contextValueOf('node', [state, n.isDc && 'dc']),
    subject: { node: n.name },
    expanded: false,
    children: [...placements, ...attrs],
  };
}
