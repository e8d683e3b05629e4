/**
 * The command lines of every change, per backend: pcs (0.9 / 0.10 / 0.11 spellings), crmsh, and Pacemaker's own
 * tools. The Pacemaker-tools form is also what the preview applies to its CIB copy (through CIB_file), so a
 * change previewed is the change made, whichever backend then makes it.
 *
 * Sources: `pcs resource --help` 0.11.5, `crm help resource` 4.4.0, crm_resource/crm_attribute 2.1.5 (as on the
 * test nodes); pcs 0.9 (CentOS 7) spelled node commands `pcs cluster standby` and the role option `--master`.
 */
import { PcxFailure } from '../util/result';
import type { Backend, Dialect } from './types';

type Argv = string[];

const pcsAtLeast = (d: Dialect, major: number, minor: number): boolean => {
  const [ma, mi] = d.pcsVersion ?? [0, 11];
  return ma > major || (ma === major && mi >= minor);
};
const pcsPromoted = (d: Dialect): string => (pcsAtLeast(d, 0, 11) ? '--promoted' : '--master');

/** Pacemaker's own tools for each change: the pacemaker backend's argv and the preview's simulation. */
export const tools = {
  cleanup: (resource?: string, node?: string): Argv => ['crm_resource', '--cleanup', ...(resource ? ['--resource', resource] : []), ...(node ? ['--node', node] : [])],
  ban: (d: Dialect, resource: string, node: string, promotedOnly = false): Argv => ['crm_resource', '--ban', '--resource', resource, '--node', node, ...(promotedOnly ? [d.promotedFlag] : [])],
  move: (resource: string, node: string): Argv => ['crm_resource', '--move', '--resource', resource, '--node', node],
  clear: (resource: string): Argv => ['crm_resource', '--clear', '--resource', resource],
  nodeAttribute: (node: string, name: string, value: string): Argv => ['crm_attribute', '--node', node, '--name', name, '--update', value],
  property: (name: string, value: string): Argv => ['crm_attribute', '--type', 'crm_config', '--name', name, '--update', value],
  meta: (resource: string, name: string, value: string): Argv => ['crm_resource', '--resource', resource, '--meta', '--set-parameter', name, '--parameter-value', value],
  /** Back to the default (as pcs enable/manage do): no target-role/is-managed left behind. Exit 0 also when absent. */
  deleteMeta: (resource: string, name: string): Argv => ['crm_resource', '--resource', resource, '--meta', '--delete-parameter', name],
  restart: (resource: string): Argv => ['crm_resource', '--restart', '--resource', resource],
};

/**
 * What `crm_resource --cleanup` does to the scheduler's input, done to a CIB copy: forget the resource's history and
 * fail counts on each node where it failed. The simulation then probes it there (a probe in crm_simulate finds it
 * not running — as it is, after a failure) and shows where Pacemaker starts it again.
 */
export function simulateCleanup(resource: string, nodes: readonly string[]): Argv[] {
  const primitive = resource.replace(/:\d+$/, '');
  return nodes.flatMap((node) => {
    const state = `//node_state[@uname=${xpathLiteral(node)}]`;
    return [
      ['cibadmin', '--delete-all', '--force', '--xpath', `${state}//lrm_resource[@id=${xpathLiteral(primitive)} or starts-with(@id,${xpathLiteral(`${primitive}:`)})]`],
      [
        'cibadmin', '--delete-all', '--force', '--xpath',
        `${state}/transient_attributes//nvpair[starts-with(@name,${xpathLiteral(`fail-count-${primitive}`)}) or starts-with(@name,${xpathLiteral(`last-failure-${primitive}`)})]`,
      ],
    ];
  });
}

/** An XPath 1.0 string literal for any text (names with quotes are concat()ed: XPath has no escapes). */
export function xpathLiteral(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  return `concat(${s.split("'").map((part) => `'${part}'`).join(`, "'", `)})`;
}

/**
 * Names (nodes, resources) that pcs and crmsh take as positional arguments. One that starts with "-" would be read
 * as an option: `pcs node standby --all` puts every node in standby, and so does `crm node standby --all`
 * (seen with crmsh 4.4 on the test nodes). pcs takes `--` before them (checked with pcs 0.11.5 for every verb
 * below: `pcs node standby -- --all` says "Node '--all' does not appear to exist"; its options stay before `--`).
 * crmsh 4.4 has no `--` (it reads `--` as the node's name), so there such a name is refused. Pacemaker's own
 * tools get names only as option arguments (`--node --all` is the node "--all": checked with 2.1.5).
 */
const optionLike = (names: readonly (string | undefined)[]): string | undefined => names.find((n) => n !== undefined && n.startsWith('-'));
/** `--` before the positional names when one of them starts with "-" (nothing changes for every other name). */
const pcsNames = (...names: string[]): Argv => (optionLike(names) ? ['--', ...names] : names);

type ByBackend = Record<Backend, Argv>;
/** The backend's argv; `names`: the positional names it contains (crmsh refuses option-like ones). */
const pick = (d: Dialect, all: ByBackend, ...names: (string | undefined)[]): Argv => {
  const bad = d.backend === 'crmsh' ? optionLike(names) : undefined;
  if (bad !== undefined) {
    throw new PcxFailure(
      'option-like-name',
      `the name ${JSON.stringify(bad)} starts with "-": crmsh would read it as an option (crm node standby --all puts every node in standby) and has no "--" to prevent that; nothing was run`,
      "Run this change with pcs or Pacemaker's own tools (pcx --backend pacemaker, or the pacemaker.operations.backend setting).",
    );
  }
  return all[d.backend];
};

export function cleanupArgv(d: Dialect, resource?: string, node?: string): { argv: Argv; note?: string } {
  if (d.backend === 'crmsh' && node && !resource) {
    // crmsh's cleanup takes the node only after a resource: "every failed resource on one node" is crm_resource's.
    return { argv: tools.cleanup(undefined, node), note: 'crmsh cannot clean up every resource on one node; crm_resource does it' };
  }
  // node=NAME is one word for pcs ≥ 0.10 (never an option); pcs 0.9 takes it as an option's argument.
  const newPcs = pcsAtLeast(d, 0, 10);
  const res = resource ? [resource] : [];
  const pcsTail = newPcs
    ? [...(res.length || node ? pcsNames(...res, ...(node ? [`node=${node}`] : [])) : [])]
    : optionLike(res) ? [...(node ? ['--node', node] : []), ...pcsNames(...res)] : [...res, ...(node ? ['--node', node] : [])];
  return {
    argv: pick(d, {
      pcs: ['pcs', 'resource', 'cleanup', ...pcsTail],
      crmsh: ['crm', 'resource', 'cleanup', ...(resource ? [resource] : []), ...(node ? [node] : [])],
      pacemaker: tools.cleanup(resource, node),
    }, resource, node),
  };
}

/**
 * A −INFINITY ban from one node; `promotedOnly` limits it to the Promoted role (a promotable clone stays Unpromoted
 * there). crmsh's `resource ban` has no role: its alternative, `crm configure location … role=Promoted`, commits
 * the whole configuration back (seen with 4.4: it reorders the clone's meta attributes), so that step is
 * crm_resource's, said in the step's note.
 */
export function banArgv(d: Dialect, resource: string, node: string, promotedOnly = false): { argv: Argv; note?: string } {
  if (d.backend === 'crmsh' && promotedOnly) {
    return { argv: tools.ban(d, resource, node, true), note: "crmsh's resource ban has no role option; crm_resource bans the Promoted role (crm resource clear removes it)" };
  }
  return {
    argv: pick(d, {
      pcs: optionLike([resource, node])
        ? ['pcs', 'resource', 'ban', ...(promotedOnly ? [pcsPromoted(d)] : []), ...pcsNames(resource, node)]
        : ['pcs', 'resource', 'ban', resource, node, ...(promotedOnly ? [pcsPromoted(d)] : [])],
      crmsh: ['crm', 'resource', 'ban', resource, node],
      pacemaker: tools.ban(d, resource, node, promotedOnly),
    }, resource, node),
  };
}

/** A +INFINITY preference for one node (pcs 0.11's `move` would also remove it at once: `move-with-constraint` keeps it for our wait). */
export function moveArgv(d: Dialect, resource: string, node: string): Argv {
  return pick(d, {
    pcs: ['pcs', 'resource', pcsAtLeast(d, 0, 11) ? 'move-with-constraint' : 'move', ...pcsNames(resource, node)],
    crmsh: ['crm', 'resource', 'move', resource, node],
    pacemaker: tools.move(resource, node),
  }, resource, node);
}

export function clearArgv(d: Dialect, resource: string): Argv {
  return pick(d, {
    pcs: ['pcs', 'resource', 'clear', ...pcsNames(resource)],
    crmsh: ['crm', 'resource', 'clear', resource],
    pacemaker: tools.clear(resource),
  }, resource);
}

export function standbyArgv(d: Dialect, node: string, on: boolean): Argv {
  const pcsNoun = pcsAtLeast(d, 0, 10) ? 'node' : 'cluster';
  return pick(d, {
    pcs: ['pcs', pcsNoun, on ? 'standby' : 'unstandby', ...pcsNames(node)],
    crmsh: ['crm', 'node', on ? 'standby' : 'online', node],
    pacemaker: tools.nodeAttribute(node, 'standby', on ? 'on' : 'off'),
  }, node);
}

export function nodeMaintenanceArgv(d: Dialect, node: string, on: boolean): Argv {
  return pick(d, {
    pcs: ['pcs', 'node', on ? 'maintenance' : 'unmaintenance', ...pcsNames(node)],
    crmsh: ['crm', 'node', on ? 'maintenance' : 'ready', node],
    pacemaker: tools.nodeAttribute(node, 'maintenance', on ? 'on' : 'off'),
  }, node);
}

export function maintenanceModeArgv(d: Dialect, on: boolean): Argv {
  const value = on ? 'true' : 'false';
  return pick(d, {
    pcs: ['pcs', 'property', 'set', `maintenance-mode=${value}`],
    crmsh: ['crm', 'configure', 'property', `maintenance-mode=${value}`],
    pacemaker: tools.property('maintenance-mode', value),
  });
}

/** target-role: disable = Stopped; enable removes it (the default, Started), as pcs does. */
export function targetRoleArgv(d: Dialect, resource: string, enable: boolean): Argv {
  return pick(d, {
    pcs: ['pcs', 'resource', enable ? 'enable' : 'disable', ...pcsNames(resource)],
    // crmsh's `resource start` would leave target-role=Started behind.
    crmsh: enable ? ['crm', 'resource', 'meta', resource, 'delete', 'target-role'] : ['crm', 'resource', 'stop', resource],
    pacemaker: enable ? tools.deleteMeta(resource, 'target-role') : tools.meta(resource, 'target-role', 'Stopped'),
  }, resource);
}

export function managedArgv(d: Dialect, resource: string, manage: boolean): Argv {
  return pick(d, {
    pcs: ['pcs', 'resource', manage ? 'manage' : 'unmanage', ...pcsNames(resource)],
    crmsh: manage ? ['crm', 'resource', 'meta', resource, 'delete', 'is-managed'] : ['crm', 'resource', 'unmanage', resource],
    pacemaker: manage ? tools.deleteMeta(resource, 'is-managed') : tools.meta(resource, 'is-managed', 'false'),
  }, resource);
}

/**
 * crmsh's `resource restart` is a stop and a start through target-role and leaves `target-role=Started` behind
 * (seen with 4.4); crm_resource --restart (what pcs runs) puts the meta attributes back as they were.
 */
export function restartArgv(d: Dialect, resource: string): { argv: Argv; note?: string } {
  if (d.backend === 'crmsh') return { argv: tools.restart(resource), note: "crmsh's resource restart leaves target-role=Started behind; crm_resource --restart does not" };
  return { argv: pick(d, { pcs: ['pcs', 'resource', 'restart', ...pcsNames(resource)], crmsh: [], pacemaker: tools.restart(resource) }) };
}

/**
 * Start or stop the cluster services of the node the command runs on. pcs and crmsh do both daemons in order
 * (`pcs cluster start|stop`, `crm cluster start|stop`, local node); with Pacemaker's tools it is the service
 * manager: pacemaker requires corosync, so starting pacemaker starts corosync; stopping names both, pacemaker first.
 */
export function clusterServicesArgv(d: Dialect, start: boolean, lastNode = false): Argv {
  return pick(d, {
    // pcs refuses to stop the node whose leaving loses quorum unless forced; the caller asked for that (typed name).
    pcs: ['pcs', 'cluster', start ? 'start' : 'stop', ...(!start && lastNode ? ['--force'] : [])],
    crmsh: ['crm', 'cluster', start ? 'start' : 'stop'],
    pacemaker: start ? ['systemctl', 'start', 'pacemaker'] : ['systemctl', 'stop', 'pacemaker', 'corosync'],
  });
}

/** Corosync alone, on the node the command runs on: the first step of an ordered start (no backend has it alone). */
export const startCorosyncArgv = (): Argv => ['systemctl', 'start', 'corosync'];
