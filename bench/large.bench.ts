/**
 * Issue 9, row 3: a large cluster, generated — 32 nodes, 2,000 primitives (700 alone, 300 groups of 3, 200
 * clones, 200 promotable clones; clone-max 4), 1,100 constraints — and the XML `crm_mon` makes of it
 * (`CIB_file=… crm_mon --one-shot --inactive --output-as=xml`, run here; no cluster needed). Beside crm_mon's own
 * time to produce that XML: our parse of it and of the CIB into a snapshot (+ health) and the heap it takes;
 * building the explorer's tree for it; and one refresh in which one resource changed — how many rows fire.
 *
 * The generated status section has every node online but no operation history, so crm_mon shows the resources
 * Stopped: the XML has every resource and clone instance, not their roles.
 * Target (issue 9): parse + model faster than crm_mon producing the XML.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { benchContext } from './context';
import { timeRuns, type BenchRow } from './lib';
import { parseCib } from '../src/core/cluster/cib';
import { parseCrmMon } from '../src/core/cluster/crmMon';
import { assessHealth } from '../src/core/cluster/health';
import { buildSnapshot } from '../src/core/cluster/snapshot';
import { buildClusterTree, changedNodes, hashTree } from '../src/core/explorer/tree';

const CRM_MON = '/usr/sbin/crm_mon';

/** The generated CIB (see the module comment). `variant` changes one resource's meta attribute. */
export function largeCib(variant = 0): string {
  const nodes = Array.from({ length: 32 }, (_, i) => `node${i + 1}`);
  const op = (id: string) => `<operations><op id="${id}-monitor" name="monitor" interval="10s"/></operations>`;
  const dummy = (id: string) => `<primitive id="${id}" class="ocf" provider="heartbeat" type="Dummy">${op(id)}</primitive>`;
  const res: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < 700; i++) {
    const id = `r${i}`;
    ids.push(id);
    const meta = i === 0 ? `<meta_attributes id="${id}-meta"><nvpair id="${id}-meta-tr" name="target-role" value="${variant % 2 ? 'Stopped' : 'Started'}"/></meta_attributes>` : '';
    res.push(`<primitive id="${id}" class="ocf" provider="heartbeat" type="Dummy">${meta}${op(id)}</primitive>`);
  }
  for (let g = 0; g < 300; g++) {
    ids.push(`g${g}`);
    res.push(`<group id="g${g}">${[0, 1, 2].map((k) => dummy(`g${g}-m${k}`)).join('')}</group>`);
  }
  const cloneMeta = (id: string, promotable: boolean) => `<meta_attributes id="${id}-meta"><nvpair id="${id}-meta-max" name="clone-max" value="4"/>${promotable ? `<nvpair id="${id}-meta-p" name="promotable" value="true"/>` : ''}</meta_attributes>`;
  for (let c = 0; c < 200; c++) {
    ids.push(`c${c}-clone`);
    res.push(`<clone id="c${c}-clone">${cloneMeta(`c${c}-clone`, false)}${dummy(`c${c}`)}</clone>`);
  }
  for (let p = 0; p < 200; p++) {
    ids.push(`p${p}-clone`);
    res.push(`<clone id="p${p}-clone">${cloneMeta(`p${p}-clone`, true)}<primitive id="p${p}" class="ocf" provider="pacemaker" type="Stateful">${op(`p${p}`)}</primitive></clone>`);
  }
  const cons: string[] = [];
  for (let i = 0; i < 500; i++) cons.push(`<rsc_location id="loc${i}" rsc="${ids[i % ids.length]}" node="${nodes[i % 32]}" score="${(i % 7) * 10}"/>`);
  for (let i = 0; i < 300; i++) cons.push(`<rsc_colocation id="col${i}" rsc="r${i}" with-rsc="r${i + 300}" score="INFINITY"/>`);
  for (let i = 0; i < 300; i++) cons.push(`<rsc_order id="ord${i}" first="g${i}" then="r${i}" kind="Mandatory"/>`);
  return [
    '<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="100" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">',
    '<configuration><crm_config><cluster_property_set id="cib-bootstrap-options">',
    '<nvpair id="o1" name="stonith-enabled" value="false"/><nvpair id="o2" name="cluster-name" value="big"/><nvpair id="o3" name="have-watchdog" value="false"/>',
    '</cluster_property_set></crm_config>',
    `<nodes>${nodes.map((n, i) => `<node id="${i + 1}" uname="${n}"/>`).join('')}</nodes>`,
    `<resources>${res.join('')}</resources>`,
    `<constraints>${cons.join('')}</constraints>`,
    '</configuration>',
    `<status>${nodes.map((n, i) => `<node_state id="${i + 1}" uname="${n}" in_ccm="true" crmd="online" crm-debug-origin="bench" join="member" expected="member"/>`).join('')}</status>`,
    '</cib>',
  ].join('\n');
}

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

export async function bench(): Promise<BenchRow[]> {
  if (!existsSync(CRM_MON)) {
    process.stderr.write(`large.bench: ${CRM_MON} absent; skipped\n`);
    return [];
  }
  const ctx = benchContext();
  const dir = mkdtempSync(join(tmpdir(), 'pcx-bench-large-'));
  try {
    const cibText = largeCib(0);
    const cibFile = join(dir, 'cib.xml');
    writeFileSync(cibFile, cibText);
    let monXml = '';
    const runs = ctx.quick ? 3 : 7;
    const crmMon = await timeRuns(runs, () => {
      const r = spawnSync(CRM_MON, ['--one-shot', '--inactive', '--output-as=xml'], { env: { ...process.env, CIB_file: cibFile }, encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0 || !r.stdout.includes('<resources>')) throw new Error(`crm_mon CIB_file=: exit ${r.status}: ${r.stderr.slice(0, 500)}`);
      monXml = r.stdout;
    });
    const model = () => {
      const mon = parseCrmMon(monXml);
      const cib = parseCib(cibText);
      if (!mon.ok || !cib.ok) throw new Error(`large.bench: parse failed: ${mon.ok ? '' : mon.error.message} ${cib.ok ? '' : cib.error.message}`);
      const snapshot = buildSnapshot(mon.value, cib.value, { source: 'bench' });
      return { snapshot, health: assessHealth(snapshot) };
    };
    const parse = await timeRuns(runs * 2, model);
    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const kept = model();
    gc();
    const heapMiB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    const instances = (monXml.match(/<resource /g) ?? []).length;

    const state = (s: ReturnType<typeof model>) => ({ name: 'big', hosts: ['node1'], snapshot: s.snapshot, health: s.health, host: 'node1', updatedAt: '00:00:00' });
    const tree = await timeRuns(runs * 2, () => buildClusterTree(state(kept)));
    const before = hashTree([buildClusterTree(state(kept))]);
    // The same cluster with one resource's target-role flipped, as the poller would deliver it.
    const changedCib = parseCib(largeCib(1));
    const mon = parseCrmMon(monXml);
    if (!changedCib.ok || !mon.ok) throw new Error('large.bench: changed CIB does not parse');
    const next = buildSnapshot(mon.value, changedCib.value, { source: 'bench' });
    const nextTree = buildClusterTree({ ...state(kept), snapshot: next, health: assessHealth(next) });
    let fired = 0;
    const refresh = await timeRuns(runs * 2, () => {
      fired = changedNodes(before, [nextTree]).length;
    });
    let rowCount = 0;
    const count = (n: { children: readonly unknown[] }): void => {
      rowCount++;
      for (const c of n.children as { children: readonly unknown[] }[]) count(c);
    };
    count(nextTree);

    return [
      {
        name: `parse + model: crm_mon XML (${(monXml.length / 2 ** 20).toFixed(1)} MiB) + CIB (${(cibText.length / 2 ** 20).toFixed(1)} MiB) → snapshot + health`,
        value: parse.median,
        baselineName: 'CIB_file= crm_mon --output-as=xml producing it',
        baseline: crmMon.median,
        target: 'faster than crm_mon',
        met: parse.median < crmMon.median,
        note: `32 nodes, 2,000 primitives, ${instances} resource instances, 1,100 constraints`,
      },
      { name: 'heap held by that snapshot', value: heapMiB, unit: 'MiB', note: 'after gc, snapshot + health kept' },
      { name: `explorer tree for it (${rowCount} rows)`, value: tree.median, baselineName: 'crm_mon producing the XML', baseline: crmMon.median },
      { name: 'refresh with one resource changed: diff of the tree', value: refresh.median, note: `${fired} of ${rowCount} rows fire a change` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
