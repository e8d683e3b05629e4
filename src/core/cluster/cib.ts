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
import { leftoverKindOf, parseConstraints } from './cibConstraints';
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
  FencingLevel,
} from './types';
import { child, childrenNamed, int, parseBool, parseDurationMs, parseScore, parseXmlDocument, type XmlElement } from '../util/xml';

export { leftoverKindOf };

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
