/** Rules about cluster-wide settings: properties, fencing, failure handling. */
import { parseAgent } from '../agentSpec';
import { CLUSTER_PROPERTIES } from '../schema';
import type { CrmRule, RuleContext } from './context';
import { closest } from './context';

const PE = 'Pacemaker Explained, Cluster Options';

function propertyPair(ctx: RuleContext, name: string) {
  for (const n of ctx.model.doc.nodes) {
    if (n.type !== 'property') continue;
    const p = n.sets[0]?.pairs.find((x) => x.name === name);
    if (p) return p;
  }
  return undefined;
}

const stonithResources = (ctx: RuleContext) => ctx.model.primitives.filter((p) => p.agent && parseAgent(p.agent.text).class === 'stonith');
const isFalse = (v: string | undefined) => v !== undefined && /^(false|no|0|off)$/i.test(v);

export const clusterRules: CrmRule[] = [
  {
    code: 'crm/property-unknown', severity: 'warning', summary: 'A cluster property Pacemaker does not know (typo; it is stored and ignored).', versions: 'Pacemaker 2.1', reference: PE,
    check(ctx) {
      for (const n of ctx.model.doc.nodes) {
        if (n.type !== 'property') continue;
        for (const p of n.sets[0]?.pairs ?? []) {
          if (CLUSTER_PROPERTIES.has(p.name)) continue;
          const guess = closest(p.name, CLUSTER_PROPERTIES);
          ctx.report('crm/property-unknown', p.nameRange, `Unknown cluster property "${p.name}": Pacemaker ignores it.${guess ? ` Did you mean "${guess}"?` : ''}`,
            guess ? [{ title: `Change to ${guess}`, edits: [{ range: p.nameRange, newText: guess }], preferred: true }] : undefined);
        }
      }
    },
  },
  {
    code: 'crm/stonith-disabled', severity: 'warning', summary: 'stonith-enabled=false: after a split both nodes may run the resources (data loss).', reference: PE,
    check(ctx) {
      const p = propertyPair(ctx, 'stonith-enabled');
      if (p && isFalse(p.value)) {
        ctx.report('crm/stonith-disabled', p.token.range, 'Fencing is off: if the nodes lose sight of each other, both may run the same resources (two Redis primaries, the VIP twice). Configure a stonith device and remove stonith-enabled=false (acceptable only on test clusters).');
      }
    },
  },
  {
    code: 'crm/stonith-missing', severity: 'error', summary: 'Fencing is enabled (the default) but no stonith resource is defined: no resource will start.', reference: `${PE}; crm_verify ("Resource start-up disabled since no STONITH resources have been defined")`,
    check(ctx) {
      // crm_verify reports it for any configuration, even one without resources; an empty file is left alone.
      if (ctx.model.doc.nodes.length === 0) return;
      // Pacemaker 2.1 reads stonith-enabled only: fencing-enabled (the newer name) is stored and ignored (crm_verify 2.1.5).
      const p = propertyPair(ctx, 'stonith-enabled');
      if (p && isFalse(p.value)) return;
      if (stonithResources(ctx).length > 0) return;
      const first = ctx.model.primitives[0] ?? ctx.model.doc.nodes[0]!;
      const newer = propertyPair(ctx, 'fencing-enabled');
      ctx.report('crm/stonith-missing', first.keyword.range, `Fencing is enabled but no stonith resource is defined, so Pacemaker starts no resources: add "primitive fence-… stonith:fence_… params …" (or, on a test cluster only, property stonith-enabled=false).${newer ? ' Pacemaker 2.1 does not read "fencing-enabled" (a newer name): write stonith-enabled.' : ''}`);
    },
  },
  {
    code: 'crm/fence-race', severity: 'information', summary: 'Two nodes, fencing, no pcmk_delay_max/priority-fencing-delay: both may shoot at once.', reference: 'pacemaker-fenced meta-data (pcmk_delay_max); Pacemaker Explained',
    check(ctx) {
      if (ctx.model.nodeNames.size !== 2) return;
      const devices = stonithResources(ctx);
      if (devices.length === 0 || propertyPair(ctx, 'priority-fencing-delay')) return;
      const delayed = devices.some((d) => d.sets.some((s) => s.pairs.some((x) => x.name === 'pcmk_delay_max' || x.name === 'pcmk_delay_base')));
      if (!delayed) ctx.report('crm/fence-race', devices[0]!.id!.range, 'In a 2-node cluster both nodes can fence each other at the same moment: set params pcmk_delay_max=15s on one device or property priority-fencing-delay=15s.');
    },
  },
  {
    code: 'crm/no-quorum-ignore', severity: 'warning', summary: 'no-quorum-policy=ignore: corosync two_node already handles 2-node quorum; ignore risks split brain.', reference: `${PE}; votequorum(5) two_node`,
    check(ctx) {
      const p = propertyPair(ctx, 'no-quorum-policy');
      if (p && p.value === 'ignore') ctx.report('crm/no-quorum-ignore', p.token.range, 'no-quorum-policy=ignore keeps resources running without quorum: with corosync "two_node: 1" it is not needed; remove it (or use stop/freeze).');
    },
  },
  {
    code: 'crm/migration-threshold', severity: 'warning', summary: 'migration-threshold without failure-timeout: a node stays banned until a manual cleanup.', reference: `${PE}, Failure Response`,
    check(ctx) {
      for (const n of ctx.model.doc.nodes) {
        if (n.type !== 'rsc_defaults' && n.type !== 'primitive' && n.type !== 'clone' && n.type !== 'ms' && n.type !== 'group') continue;
        for (const s of n.sets) {
          if (s.kind !== 'meta') continue;
          const mt = s.pairs.find((p) => p.name === 'migration-threshold');
          if (!mt || mt.value === '0') continue;
          const ft = s.pairs.some((p) => p.name === 'failure-timeout') || ctx.model.rscDefaults.has('failure-timeout');
          if (!ft) ctx.report('crm/migration-threshold', mt.token.range, `After ${mt.value} failure(s) the resource is banned from that node until someone runs "crm resource cleanup": add failure-timeout=10min to forget failures.`);
        }
      }
    },
  },
  {
    code: 'crm/fencing-topology', severity: 'warning', summary: 'fencing_topology names an unknown node or a device that is not a stonith resource.', reference: 'crmsh cibconfig.py; Pacemaker Explained, Fencing Topology',
    check(ctx) {
      const stonith = new Set(stonithResources(ctx).map((p) => p.id?.text));
      for (const n of ctx.model.doc.nodes) {
        if (n.type !== 'fencing_topology') continue;
        for (const l of n.levels) {
          const t = l.target?.text;
          if (t && !t.includes(':') && ctx.model.nodeNames.size && !ctx.model.nodeNames.has(t)) ctx.report('crm/fencing-topology', l.target!.range, `Node "${t}" is not declared in this file.`);
          for (const d of l.devices) for (const dev of d.text.split(',')) {
            if (!stonith.has(dev)) ctx.report('crm/fencing-topology', d.range, `"${dev}" is not a stonith resource: fencing levels list fence devices (primitive … stonith:fence_…).`);
          }
        }
      }
    },
  },
];
