/**
 * Parser for the CIB (`cibadmin -Q`) into CibConfig: resource definitions (params, meta, ops),
 * constraints (location with rules and roles, colocation, order, ticket; resource sets), cluster
 * properties, rsc/op defaults, nodes' permanent attributes, fencing levels, tags — and from the
 * status section, transient node attributes, fail counts and tickets.
 *
 * Accepts every schema the corpus holds (pacemaker-1.0 … 3.x): the legacy `<master>` element is a
 * promotable clone, roles Master/Slave become Promoted/Unpromoted, `cli-prefer-*`/`cli-ban-*`
 * location constraints are flagged as leftovers of move/ban. nvpair sets are merged in document
 * order, first value wins (sets with rules are not evaluated — this is a view, not a scheduler).
 */
import { err, ok, type Result } from '../util/result';
import { agentFromParts, normalizeRole } from './names';
import type {
  CibBundle,
  CibClone,
  CibConfig,
  CibFailCount,
  CibGroup,
  CibNode,
  CibNodeState,
  CibOp,
  CibPrimitive,
  CibResource,
  ColocationConstraint,
  Constraint,
  FencingLevel,
  LeftoverKind,
  LocationConstraint,
  OrderConstraint,
  ResourceSet,
  Rule,
  RuleExpression,
  TicketConstraint,
} from './types';
import { child, childrenNamed, int, parseBool, parseDurationMs, parseScore, parseXmlDocument, type XmlElement } from './xml';

/** Parse CIB XML (a whole `<cib>`, or a bare `<configuration>` as `cibadmin -Q -o configuration` prints). */
export function parseCib(xml: string): Result<CibConfig> {
  const doc = parseXmlDocument(xml, 'CIB XML');
  if (!doc.ok) return doc;
  const root = doc.value;
  if (root.name !== 'cib' && root.name !== 'configuration') {
    return err({
      code: 'cib-unexpected-root',
      message: `this is not a CIB: the root element is <${root.name}>, expected <cib>`,
      hint: root.name === 'pacemaker-result' || root.name === 'crm_mon'
        ? 'this looks like crm_mon output: pass it with --file, and the CIB (cibadmin -Q) with --cib'
        : 'capture the CIB with `cibadmin -Q`',
    });
  }
  const configuration = root.name === 'cib' ? child(root, 'configuration') : root;
  if (!configuration) {
    return err({ code: 'cib-no-configuration', message: 'the CIB has no <configuration> section', hint: 'capture the whole CIB with `cibadmin -Q`' });
  }
  const status = root.name === 'cib' ? child(root, 'status') : undefined;
  const nodeStates = childrenNamed(status, 'node_state').map(parseNodeState);
  return ok({
    adminEpoch: int(root, 'admin_epoch'),
    epoch: int(root, 'epoch'),
    numUpdates: int(root, 'num_updates'),
    validateWith: root.attrs['validate-with'],
    crmFeatureSet: root.attrs['crm_feature_set'],
    lastWritten: root.attrs['cib-last-written'],
    dcUuid: root.attrs['dc-uuid'],
    properties: mergeSets(childrenNamed(child(configuration, 'crm_config'), 'cluster_property_set')),
    rscDefaults: parseDefaults(child(configuration, 'rsc_defaults')),
    opDefaults: parseDefaults(child(configuration, 'op_defaults')),
    nodes: childrenNamed(child(configuration, 'nodes'), 'node').map(parseCibNode),
    resources: parseResources(child(configuration, 'resources')),
    constraints: parseConstraints(child(configuration, 'constraints')),
    fencingLevels: childrenNamed(child(configuration, 'fencing-topology'), 'fencing-level').map(parseFencingLevel),
    tags: childrenNamed(child(configuration, 'tags'), 'tag').map((t) => ({
      id: t.attrs['id'] ?? '',
      refs: childrenNamed(t, 'obj_ref').map((r) => r.attrs['id'] ?? ''),
    })),
    nodeStates,
    failCounts: nodeStates.flatMap(failCountsOf),
    tickets: childrenNamed(child(status, 'tickets'), 'ticket_state').map((t) => ({
      id: t.attrs['id'] ?? '',
      granted: parseBool(t.attrs['granted']) ?? false,
      standby: parseBool(t.attrs['standby']) ?? false,
      lastGranted: t.attrs['last-granted'],
    })),
  });
}

/* ---------- nvpairs ---------- */

function nvpairs(set: XmlElement | undefined, into: Record<string, string>): void {
  for (const nv of childrenNamed(set, 'nvpair')) {
    const name = nv.attrs['name'];
    if (name != null && !(name in into)) into[name] = nv.attrs['value'] ?? '';
  }
}

function mergeSets(sets: readonly XmlElement[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) nvpairs(s, out);
  return out;
}

/** rsc_defaults/op_defaults: meta_attributes sets (Pacemaker ≥ 1.0), or bare nvpairs (older). */
function parseDefaults(el: XmlElement | undefined): Record<string, string> {
  const out = mergeSets(childrenNamed(el, 'meta_attributes', 'instance_attributes'));
  nvpairs(el, out);
  return out;
}

/* ---------- nodes ---------- */

function parseCibNode(el: XmlElement): CibNode {
  return {
    id: el.attrs['id'] ?? '',
    uname: el.attrs['uname'] ?? el.attrs['id'] ?? '',
    type: el.attrs['type'],
    attributes: mergeSets(childrenNamed(el, 'instance_attributes')),
    utilization: mergeSets(childrenNamed(el, 'utilization')),
  };
}

function parseNodeState(el: XmlElement): CibNodeState {
  const transient = child(el, 'transient_attributes');
  return {
    id: el.attrs['id'] ?? '',
    uname: el.attrs['uname'],
    inCcm: el.attrs['in_ccm'],
    crmd: el.attrs['crmd'],
    join: el.attrs['join'],
    expected: el.attrs['expected'],
    transientAttributes: mergeSets(childrenNamed(transient, 'instance_attributes')),
  };
}

/**
 * Fail counts live in transient attributes: `fail-count-<rsc>#<op>_<interval>` since 2.0,
 * `fail-count-<rsc>` in 1.1; `last-failure-…` alongside with an epoch timestamp.
 */
function failCountsOf(state: CibNodeState): CibFailCount[] {
  const out: CibFailCount[] = [];
  for (const [name, value] of Object.entries(state.transientAttributes)) {
    if (!name.startsWith('fail-count-')) continue;
    const key = name.slice('fail-count-'.length);
    const hash = key.indexOf('#');
    const resource = hash >= 0 ? key.slice(0, hash) : key;
    const operation = hash >= 0 ? key.slice(hash + 1) : undefined;
    const lastFailure = state.transientAttributes[`last-failure-${key}`];
    const count = parseScore(value) ?? 0;
    out.push({
      node: state.uname ?? state.id,
      resource,
      operation,
      count,
      lastFailure: lastFailure ? epochToIso(lastFailure) : undefined,
    });
  }
  return out;
}

function epochToIso(v: string): string {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : v;
}

/* ---------- resources ---------- */

function parseResources(el: XmlElement | undefined): CibResource[] {
  const out: CibResource[] = [];
  for (const c of el?.children ?? []) {
    const r = parseResource(c);
    if (r) out.push(r);
  }
  return out;
}

function parseResource(el: XmlElement): CibResource | undefined {
  switch (el.name) {
    case 'primitive':
      return parsePrimitive(el);
    case 'group':
      return parseGroup(el);
    case 'clone':
    case 'master':
      return parseClone(el);
    case 'bundle':
      return parseBundle(el);
    default:
      return undefined; // rsc_template and future kinds: tolerated, not modelled
  }
}

function parsePrimitive(el: XmlElement): CibPrimitive {
  return {
    kind: 'primitive',
    id: el.attrs['id'] ?? '',
    agent: agentFromParts(el.attrs['class'], el.attrs['provider'], el.attrs['type']),
    template: el.attrs['template'],
    description: el.attrs['description'],
    params: mergeSets(childrenNamed(el, 'instance_attributes')),
    meta: mergeSets(childrenNamed(el, 'meta_attributes')),
    utilization: mergeSets(childrenNamed(el, 'utilization')),
    ops: childrenNamed(child(el, 'operations'), 'op').map(parseOp),
  };
}

const OP_KNOWN = ['id', 'name', 'interval', 'timeout', 'role', 'on-fail', 'enabled'];

function parseOp(el: XmlElement): CibOp {
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attrs)) if (!OP_KNOWN.includes(k)) extra[k] = v;
  // op-level meta/instance attributes (e.g. OCF_CHECK_LEVEL) are rare; keep them alongside.
  for (const [k, v] of Object.entries(mergeSets(childrenNamed(el, 'meta_attributes', 'instance_attributes')))) {
    if (!(k in extra)) extra[k] = v;
  }
  const interval = el.attrs['interval'] ?? '0';
  return {
    id: el.attrs['id'],
    name: el.attrs['name'] ?? '',
    interval,
    intervalMs: parseIntervalMs(interval),
    timeout: el.attrs['timeout'],
    role: normalizeRole(el.attrs['role']),
    onFail: el.attrs['on-fail'],
    enabled: parseBool(el.attrs['enabled']),
    extra,
  };
}

/** CIB intervals: "10s", "10" (seconds), "1min", or ISO 8601 "PT10S". */
function parseIntervalMs(v: string): number | undefined {
  const iso = /^P(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)$/i.exec(v.trim());
  if (iso) return ((Number(iso[1] ?? 0) * 60 + Number(iso[2] ?? 0)) * 60 + Number(iso[3] ?? 0)) * 1000;
  return parseDurationMs(v);
}

function parseGroup(el: XmlElement): CibGroup {
  return {
    kind: 'group',
    id: el.attrs['id'] ?? '',
    description: el.attrs['description'],
    meta: mergeSets(childrenNamed(el, 'meta_attributes')),
    children: childrenNamed(el, 'primitive').map(parsePrimitive),
  };
}

function parseClone(el: XmlElement): CibClone {
  const meta = mergeSets(childrenNamed(el, 'meta_attributes'));
  const legacyMaster = el.name === 'master';
  const inner = el.children.find((c) => c.name === 'primitive' || c.name === 'group');
  return {
    kind: 'clone',
    id: el.attrs['id'] ?? '',
    description: el.attrs['description'],
    promotable: legacyMaster || parseBool(meta['promotable']) === true,
    legacyMaster,
    meta,
    child: inner ? (inner.name === 'group' ? parseGroup(inner) : parsePrimitive(inner)) : undefined,
  };
}

function parseBundle(el: XmlElement): CibBundle {
  const runtimeEl = el.children.find((c) => ['docker', 'podman', 'rkt'].includes(c.name));
  const runtimeOptions: Record<string, string> = { ...(runtimeEl?.attrs ?? {}) };
  const prim = child(el, 'primitive');
  return {
    kind: 'bundle',
    id: el.attrs['id'] ?? '',
    description: el.attrs['description'],
    runtime: runtimeEl?.name,
    image: runtimeEl?.attrs['image'],
    replicas: runtimeEl ? int(runtimeEl, 'replicas') : undefined,
    meta: mergeSets(childrenNamed(el, 'meta_attributes')),
    runtimeOptions,
    primitive: prim ? parsePrimitive(prim) : undefined,
  };
}

/* ---------- constraints ---------- */

function parseConstraints(el: XmlElement | undefined): Constraint[] {
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

function parseFencingLevel(el: XmlElement): FencingLevel {
  const target =
    el.attrs['target'] ??
    (el.attrs['target-pattern'] != null ? `pattern ${el.attrs['target-pattern']}` : undefined) ??
    (el.attrs['target-attribute'] != null ? `${el.attrs['target-attribute']}=${el.attrs['target-value'] ?? ''}` : '');
  return {
    id: el.attrs['id'],
    index: int(el, 'index') ?? 0,
    target,
    devices: (el.attrs['devices'] ?? '').split(',').filter(Boolean),
  };
}
