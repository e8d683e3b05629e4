/**
 * CIB constraints (location, colocation, order, ticket; resource sets and rules), for cib.ts.
 */
import { normalizeRole } from './names';
import type { ColocationConstraint, Constraint, LeftoverKind, LocationConstraint, OrderConstraint, ResourceSet, Rule, RuleExpression, TicketConstraint } from './types';
import { childrenNamed, parseBool, parseScore, type XmlElement } from '../util/xml';

export function parseConstraints(el: XmlElement | undefined): Constraint[] {
  const out: Constraint[] = [];
  for (const c of el?.children ?? []) {
    switch (c.name) {
      case 'rsc_location':
        out.push(parseLocation(c));
        break;
      case 'rsc_colocation':
        out.push(parseColocation(c));
        break;
      case 'rsc_order':
        out.push(parseOrder(c));
        break;
      case 'rsc_ticket':
        out.push(parseTicketConstraint(c));
        break;
      default:
        break; // unknown constraint types are tolerated
    }
  }
  return out;
}

function parseSets(el: XmlElement): ResourceSet[] {
  return childrenNamed(el, 'resource_set').map((s) => ({
    id: s.attrs['id'],
    resources: childrenNamed(s, 'resource_ref').map((r) => r.attrs['id'] ?? ''),
    role: normalizeRole(s.attrs['role']),
    action: s.attrs['action'],
    sequential: parseBool(s.attrs['sequential']),
    requireAll: parseBool(s.attrs['require-all']),
    ordering: s.attrs['ordering'],
    kind: s.attrs['kind'],
    score: parseScore(s.attrs['score']),
  }));
}

/** `crm_resource --move/--ban` (used by pcs and crmsh) names its constraints cli-prefer-<rsc> / cli-ban-<rsc>-on-<node>. */
export function leftoverKindOf(id: string): LeftoverKind | undefined {
  if (id.startsWith('cli-prefer-')) return 'cli-prefer';
  if (id.startsWith('cli-ban-')) return 'cli-ban';
  return undefined;
}

function parseLocation(el: XmlElement): LocationConstraint {
  const id = el.attrs['id'] ?? '';
  return {
    type: 'location',
    id,
    rsc: el.attrs['rsc'],
    rscPattern: el.attrs['rsc-pattern'],
    node: el.attrs['node'],
    score: parseScore(el.attrs['score']),
    scoreText: el.attrs['score'],
    role: normalizeRole(el.attrs['role']),
    resourceDiscovery: el.attrs['resource-discovery'],
    rules: childrenNamed(el, 'rule').map(parseRule),
    sets: parseSets(el),
    leftover: leftoverKindOf(id),
  };
}

function parseColocation(el: XmlElement): ColocationConstraint {
  return {
    type: 'colocation',
    id: el.attrs['id'] ?? '',
    rsc: el.attrs['rsc'],
    withRsc: el.attrs['with-rsc'],
    rscRole: normalizeRole(el.attrs['rsc-role']),
    withRscRole: normalizeRole(el.attrs['with-rsc-role']),
    score: parseScore(el.attrs['score']),
    scoreText: el.attrs['score'],
    influence: parseBool(el.attrs['influence']),
    sets: parseSets(el),
  };
}

function parseOrder(el: XmlElement): OrderConstraint {
  return {
    type: 'order',
    id: el.attrs['id'] ?? '',
    first: el.attrs['first'],
    then: el.attrs['then'],
    firstAction: el.attrs['first-action'],
    thenAction: el.attrs['then-action'],
    kind: el.attrs['kind'],
    score: parseScore(el.attrs['score']),
    symmetrical: parseBool(el.attrs['symmetrical']),
    requireAll: parseBool(el.attrs['require-all']),
    sets: parseSets(el),
  };
}

function parseTicketConstraint(el: XmlElement): TicketConstraint {
  return {
    type: 'ticket',
    id: el.attrs['id'] ?? '',
    ticket: el.attrs['ticket'] ?? '',
    rsc: el.attrs['rsc'],
    rscRole: normalizeRole(el.attrs['rsc-role']),
    lossPolicy: el.attrs['loss-policy'],
    sets: parseSets(el),
  };
}

function parseRule(el: XmlElement): Rule {
  const expressions: RuleExpression[] = el.children.map((c): RuleExpression => {
    switch (c.name) {
      case 'expression':
        return {
          kind: 'attribute',
          attribute: c.attrs['attribute'] ?? '',
          operation: c.attrs['operation'] ?? '',
          value: c.attrs['value'],
          type: c.attrs['type'],
          valueSource: c.attrs['value-source'],
        };
      case 'date_expression':
        return { kind: 'date', operation: c.attrs['operation'] ?? '', start: c.attrs['start'], end: c.attrs['end'] };
      case 'rsc_expression':
        return { kind: 'rsc', attrs: { ...c.attrs } };
      case 'op_expression':
        return { kind: 'op', attrs: { ...c.attrs } };
      case 'rule':
        return { kind: 'rule', rule: parseRule(c) };
      default:
        return { kind: 'other', element: c.name, attrs: { ...c.attrs } };
    }
  });
  const booleanOp = el.attrs['boolean-op'] ?? 'and';
  return {
    id: el.attrs['id'],
    score: parseScore(el.attrs['score']),
    scoreAttribute: el.attrs['score-attribute'],
    booleanOp,
    role: normalizeRole(el.attrs['role']),
    expressions,
    text: expressions.map(expressionText).join(` ${booleanOp} `),
  };
}

function expressionText(e: RuleExpression): string {
  switch (e.kind) {
    case 'attribute':
      return ['defined', 'not_defined'].includes(e.operation) ? `${e.operation} ${e.attribute}` : `${e.attribute} ${e.operation} ${e.value ?? ''}`.trim();
    case 'date':
      return `date ${e.operation}${e.start ? ` ${e.start}` : ''}${e.end ? `${e.start ? ' to' : ''} ${e.end}` : ''}`;
    case 'rsc':
      return `resource ${[e.attrs['class'], e.attrs['provider'], e.attrs['type']].filter(Boolean).join(':')}`;
    case 'op':
      return `op ${e.attrs['name'] ?? ''}${e.attrs['interval'] ? ` interval=${e.attrs['interval']}` : ''}`;
    case 'rule':
      return `(${e.rule.text})`;
    default:
      return `<${e.element}>`;
  }
}

