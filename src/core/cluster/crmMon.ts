/**
 * Parser for `crm_mon --output-as=xml` (Pacemaker 2.x `<pacemaker-result>`) and the older
 * `crm_mon --as-xml` / 1.1 `<crm_mon version=…>` document, into CrmMonStatus.
 *
 * Follows Pacemaker's schema (xml/api/crm_mon-2.*.rng and 1.1's xml/crm_mon.rng) but trusts none
 * of it: every attribute is optional here, unknown elements and attributes are ignored (unknown
 * top-level sections are listed in `unknownSections`), and roles are normalised to
 * Promoted/Unpromoted. A crm_mon that could not reach the cluster (status code ≠ 0 and no summary)
 * becomes an error naming the cause, not an empty cluster.
 */
import { err, ok, type PcxError, type Result } from '../util/result';
import { normalizeRole, parseAgent, parseOpKey } from './names';
import type {
  Ban,
  BundleStatus,
  CloneStatus,
  ClusterSummary,
  CrmMonStatus,
  FailedAction,
  FenceEvent,
  GroupStatus,
  NodeAttribute,
  NodeStatus,
  OperationHistory,
  PrimitiveStatus,
  ResourceHistory,
  ResourceStatus,
  TicketStatus,
} from './types';
import { bool, child, childrenNamed, int, parseBool, parseDurationMs, parseScore, parseXmlDocument, type XmlElement } from '../util/xml';

const KNOWN_SECTIONS = [
  'summary', 'nodes', 'resources', 'node_attributes', 'node_history', 'failures', 'fence_history',
  'tickets', 'bans', 'status', 'pacemakerd', 'crm-mon-disconnected',
];

/** Parse crm_mon XML output. Never throws for bad input. */
export function parseCrmMon(xml: string): Result<CrmMonStatus> {
  const doc = parseXmlDocument(xml, 'crm_mon XML');
  if (!doc.ok) return doc;
  return fromElement(doc.value);
}

function fromElement(root: XmlElement): Result<CrmMonStatus> {
  if (root.name !== 'pacemaker-result' && root.name !== 'crm_mon') {
    const looksLikeCib = root.name === 'cib';
    return err({
      code: 'crm-mon-unexpected-root',
      message: `this is not crm_mon output: the root element is <${root.name}>, expected <pacemaker-result> or <crm_mon>`,
      hint: looksLikeCib
        ? 'this looks like a CIB (cibadmin -Q): pass it with --cib, and crm_mon output (crm_mon -1 --output-as=xml) with --file'
        : 'capture it with `crm_mon -1 --output-as=xml` (Pacemaker 2.x) or `crm_mon -1 --as-xml` (1.1)',
    });
  }
  const statusEl = child(root, 'status');
  const resultStatus = statusEl
    ? { code: int(statusEl, 'code') ?? 0, message: statusEl.attrs['message'] ?? '' }
    : undefined;
  const summaryEl = child(root, 'summary');
  const disconnected = child(root, 'crm-mon-disconnected');
  if (!summaryEl && (disconnected || (resultStatus && resultStatus.code !== 0))) {
    return err(notConnectedError(root, resultStatus, disconnected));
  }

  const nodesEl = child(root, 'nodes');
  const fenceEl = child(root, 'fence_history');
  const status: CrmMonStatus = {
    format: root.name === 'crm_mon' ? 'legacy-crm_mon' : 'pacemaker-result',
    apiVersion: root.name === 'pacemaker-result' ? root.attrs['api-version'] : undefined,
    crmMonVersion: root.name === 'crm_mon' ? root.attrs['version'] : undefined,
    request: root.attrs['request'],
    summary: parseSummary(summaryEl),
    nodes: childrenNamed(nodesEl, 'node').map(parseNode),
    nodesIncluded: nodesEl !== undefined,
    resources: parseResourceList(child(root, 'resources')),
    nodeAttributes: childrenNamed(child(root, 'node_attributes'), 'node').map((n) => ({
      node: n.attrs['name'] ?? '',
      attributes: childrenNamed(n, 'attribute').map(parseNodeAttribute),
    })),
    history: childrenNamed(child(root, 'node_history'), 'node').flatMap(parseNodeHistory),
    failures: childrenNamed(child(root, 'failures'), 'failure').map(parseFailure),
    fenceHistory: fenceEl ? childrenNamed(fenceEl, 'fence_event').map(parseFenceEvent) : undefined,
    tickets: childrenNamed(child(root, 'tickets'), 'ticket').map(parseTicket),
    bans: childrenNamed(child(root, 'bans'), 'ban').map(parseBan),
    resultStatus,
    unknownSections: root.children.map((c) => c.name).filter((n) => !KNOWN_SECTIONS.includes(n)),
  };
  return ok(status);
}

function notConnectedError(root: XmlElement, status: { code: number; message: string } | undefined, disconnected: XmlElement | undefined): PcxError {
  const errors = childrenNamed(child(root, 'status'), 'errors')
    .flatMap((e) => childrenNamed(e, 'error'))
    .map((e) => e.text.trim())
    .filter(Boolean);
  const detail = [disconnected?.attrs['description'], status?.message, ...errors].filter(Boolean).join('; ');
  const pacemakerdState = disconnected?.attrs['pacemakerd-state'];
  // crm_exit_t 102 = CRM_EX_NOT_CONNECTED: the cluster is not running on the node that was asked.
  const notRunning = status?.code === 102 || /not connected|not available|not running/i.test(detail) || disconnected !== undefined;
  return {
    code: notRunning ? 'pacemaker-not-running' : 'crm-mon-failed',
    message: notRunning
      ? `crm_mon could not connect to the cluster${pacemakerdState ? ` (pacemakerd: ${pacemakerdState})` : ''}${detail ? `: ${detail}` : ''}`
      : `crm_mon reported an error (code ${status?.code ?? '?'})${detail ? `: ${detail}` : ''}`,
    hint: notRunning
      ? 'Pacemaker is not running on that node: start it with `pcs cluster start` (or `crm cluster start`), or ask another node'
      : 'run `crm_mon -1` on the node to see the full error',
  };
}

function parseSummary(el: XmlElement | undefined): ClusterSummary {
  const stack = child(el, 'stack');
  const dc = child(el, 'current_dc');
  const lastUpdate = child(el, 'last_update');
  const lastChange = child(el, 'last_change');
  const nodesConfigured = child(el, 'nodes_configured');
  const resources = child(el, 'resources_configured');
  const options = child(el, 'cluster_options');
  const dcPresent = dc ? bool(dc, 'present') : false;
  const opt = options?.attrs ?? {};
  return {
    stack: stack?.attrs['type'],
    pacemakerdState: stack?.attrs['pacemakerd-state'],
    dcPresent,
    dc: dcPresent && dc?.attrs['name'] != null
      ? { name: dc.attrs['name'], id: dc.attrs['id'] ?? '', version: dc.attrs['version'] ?? '' }
      : undefined,
    withQuorum: dc ? parseBool(dc.attrs['with_quorum']) : undefined,
    mixedVersion: dc ? parseBool(dc.attrs['mixed_version']) : undefined,
    lastUpdate: nonEmpty(lastUpdate?.attrs['time']),
    lastChange: lastChange
      ? {
          time: lastChange.attrs['time'] ?? '',
          user: nonEmpty(lastChange.attrs['user']),
          client: nonEmpty(lastChange.attrs['client']),
          origin: nonEmpty(lastChange.attrs['origin']),
        }
      : undefined,
    nodesConfigured: nodesConfigured ? int(nodesConfigured, 'number') : undefined,
    expectedVotes: nodesConfigured ? int(nodesConfigured, 'expected_votes') : undefined,
    resourcesConfigured: resources ? int(resources, 'number') : undefined,
    resourcesDisabled: resources ? int(resources, 'disabled') : undefined,
    resourcesBlocked: resources ? int(resources, 'blocked') : undefined,
    options: {
      stonithEnabled: parseBool(opt['stonith-enabled'] ?? opt['fencing-enabled']),
      symmetricCluster: parseBool(opt['symmetric-cluster']),
      noQuorumPolicy: opt['no-quorum-policy'],
      maintenanceMode: parseBool(opt['maintenance-mode']),
      stopAllResources: parseBool(opt['stop-all-resources']),
      raw: { ...opt },
    },
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v == null || v === '' ? undefined : v;
}

function parseNode(el: XmlElement): NodeStatus {
  return {
    name: el.attrs['name'] ?? '',
    id: el.attrs['id'] ?? '',
    type: el.attrs['type'] ?? 'unknown',
    online: bool(el, 'online'),
    standby: bool(el, 'standby'),
    standbyOnFail: bool(el, 'standby_onfail'),
    maintenance: bool(el, 'maintenance'),
    pending: bool(el, 'pending'),
    unclean: bool(el, 'unclean'),
    shutdown: bool(el, 'shutdown'),
    expectedUp: bool(el, 'expected_up'),
    isDc: bool(el, 'is_dc'),
    resourcesRunning: int(el, 'resources_running') ?? 0,
    health: el.attrs['health'],
    featureSet: el.attrs['feature_set'],
    idAsResource: el.attrs['id_as_resource'] ?? el.attrs['container_id'],
    resources: parseResourceList(el),
  };
}

/** The resource children of `<resources>`, or of a `<node>` with --group-by-node. */
function parseResourceList(el: XmlElement | undefined): ResourceStatus[] {
  const out: ResourceStatus[] = [];
  for (const c of el?.children ?? []) {
    const r = parseResource(c);
    if (r) out.push(r);
  }
  return out;
}

function parseResource(el: XmlElement): ResourceStatus | undefined {
  switch (el.name) {
    case 'resource':
      return parsePrimitive(el);
    case 'group':
      return parseGroup(el);
    case 'clone':
      return parseClone(el);
    case 'bundle':
      return parseBundle(el);
    default:
      return undefined;
  }
}

function isStoppedTarget(role: string | undefined): boolean {
  return role != null && role.toLowerCase() === 'stopped';
}

function parsePrimitive(el: XmlElement): PrimitiveStatus {
  const targetRole = normalizeRole(el.attrs['target_role']);
  return {
    kind: 'primitive',
    id: el.attrs['id'] ?? '',
    agent: parseAgent(el.attrs['resource_agent'] ?? ''),
    role: normalizeRole(el.attrs['role'] ?? 'Unknown'),
    targetRole,
    active: bool(el, 'active'),
    orphaned: bool(el, 'orphaned') || bool(el, 'removed'),
    blocked: bool(el, 'blocked'),
    managed: bool(el, 'managed', true),
    maintenance: bool(el, 'maintenance'),
    failed: bool(el, 'failed'),
    failureIgnored: bool(el, 'failure_ignored'),
    disabled: isStoppedTarget(targetRole),
    nodesRunningOn: int(el, 'nodes_running_on') ?? 0,
    nodes: childrenNamed(el, 'node').map((n) => ({ name: n.attrs['name'] ?? '', id: n.attrs['id'] ?? '', cached: bool(n, 'cached') })),
    pending: nonEmpty(el.attrs['pending']),
    lockedTo: nonEmpty(el.attrs['locked_to']),
    description: el.attrs['description'],
  };
}

function parseGroup(el: XmlElement): GroupStatus {
  const children = childrenNamed(el, 'resource').map(parsePrimitive);
  return {
    kind: 'group',
    id: el.attrs['id'] ?? '',
    numberResources: int(el, 'number_resources') ?? children.length,
    managed: bool(el, 'managed', true),
    // 1.1 printed no `disabled` on groups: derive it from the members' target role.
    disabled: parseBool(el.attrs['disabled']) ?? (children.length > 0 && children.every((c) => c.disabled)),
    maintenance: bool(el, 'maintenance'),
    description: el.attrs['description'],
    children,
  };
}

function parseClone(el: XmlElement): CloneStatus {
  const targetRole = normalizeRole(el.attrs['target_role']);
  const instances = el.children
    .filter((c) => c.name === 'resource' || c.name === 'group')
    .map((c) => (c.name === 'group' ? parseGroup(c) : parsePrimitive(c)));
  return {
    kind: 'clone',
    id: el.attrs['id'] ?? '',
    promotable: bool(el, 'multi_state'),
    unique: bool(el, 'unique'),
    managed: bool(el, 'managed', true),
    disabled: parseBool(el.attrs['disabled']) ?? isStoppedTarget(targetRole),
    failed: bool(el, 'failed'),
    failureIgnored: bool(el, 'failure_ignored'),
    maintenance: bool(el, 'maintenance'),
    targetRole,
    description: el.attrs['description'],
    instances,
  };
}

function parseBundle(el: XmlElement): BundleStatus {
  return {
    kind: 'bundle',
    id: el.attrs['id'] ?? '',
    type: el.attrs['type'] ?? '',
    image: el.attrs['image'] ?? '',
    unique: bool(el, 'unique'),
    managed: bool(el, 'managed', true),
    failed: bool(el, 'failed'),
    maintenance: bool(el, 'maintenance'),
    description: el.attrs['description'],
    replicas: childrenNamed(el, 'replica').map((r) => ({
      id: r.attrs['id'] ?? '',
      resources: childrenNamed(r, 'resource').map(parsePrimitive),
    })),
  };
}

function parseNodeAttribute(el: XmlElement): NodeAttribute {
  return { name: el.attrs['name'] ?? '', value: el.attrs['value'] ?? '', expected: el.attrs['expected'] };
}

function parseNodeHistory(nodeEl: XmlElement): ResourceHistory[] {
  const node = nodeEl.attrs['name'] ?? '';
  return childrenNamed(nodeEl, 'resource_history').map((h) => {
    const failCount = parseScore(h.attrs['fail-count']);
    return {
      node,
      resource: h.attrs['id'] ?? '',
      orphaned: bool(h, 'orphan') || bool(h, 'removed'),
      migrationThreshold: parseScore(h.attrs['migration-threshold']),
      failCount,
      lastFailure: nonEmpty(h.attrs['last-failure']),
      operations: childrenNamed(h, 'operation_history').map(parseOperation),
    };
  });
}

function parseOperation(el: XmlElement): OperationHistory {
  return {
    call: el.attrs['call'] ?? '',
    task: el.attrs['task'] ?? '',
    intervalMs: parseDurationMs(el.attrs['interval']),
    rc: int(el, 'rc') ?? -1,
    rcText: el.attrs['rc_text'] ?? '',
    lastRcChange: nonEmpty(el.attrs['last-rc-change']),
    lastRun: nonEmpty(el.attrs['last-run']),
    execTimeMs: parseDurationMs(el.attrs['exec-time']),
    queueTimeMs: parseDurationMs(el.attrs['queue-time']),
  };
}

function parseFailure(el: XmlElement): FailedAction {
  const opKey = el.attrs['op_key'] ?? el.attrs['id'] ?? '';
  const parsed = parseOpKey(opKey);
  const interval = int(el, 'interval');
  return {
    opKey,
    resource: parsed?.resource ?? opKey,
    task: el.attrs['task'] ?? parsed?.task ?? '',
    intervalMs: interval ?? parsed?.intervalMs ?? 0,
    node: el.attrs['node'] ?? '',
    exitCode: int(el, 'exitcode') ?? -1,
    exitStatus: el.attrs['exitstatus'] ?? '',
    exitReason: el.attrs['exitreason'] ?? '',
    status: el.attrs['status'] ?? '',
    call: el.attrs['call'] ?? '',
    lastRcChange: nonEmpty(el.attrs['last-rc-change']),
    queuedMs: int(el, 'queued'),
    execMs: int(el, 'exec'),
  };
}

function parseFenceEvent(el: XmlElement): FenceEvent {
  return {
    target: el.attrs['target'] ?? '',
    action: el.attrs['action'] ?? '',
    status: el.attrs['status'] ?? el.attrs['state'] ?? '',
    extendedStatus: el.attrs['extended-status'],
    exitReason: nonEmpty(el.attrs['exit-reason'] ?? el.attrs['exec-details']),
    delegate: el.attrs['delegate'],
    client: el.attrs['client'],
    origin: el.attrs['origin'],
    completed: nonEmpty(el.attrs['completed'] ?? el.attrs['last-successful'] ?? el.attrs['last-failed']),
  };
}

function parseTicket(el: XmlElement): TicketStatus {
  return {
    id: el.attrs['id'] ?? '',
    status: el.attrs['status'],
    standby: bool(el, 'standby'),
    lastGranted: nonEmpty(el.attrs['last-granted']),
  };
}

function parseBan(el: XmlElement): Ban {
  return {
    id: el.attrs['id'] ?? '',
    resource: el.attrs['resource'] ?? '',
    node: el.attrs['node'] ?? '',
    weight: parseScore(el.attrs['weight']) ?? 0,
    promotedOnly: bool(el, 'promoted-only') || bool(el, 'master_only'),
  };
}
