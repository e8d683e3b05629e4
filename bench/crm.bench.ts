/**
 * crm spec files: compile (pcx render) and lint a generated spec of 200 resources and 200 constraints,
 * against crmsh 4.4 rendering the same file offline (`crm configure load update` into a CIB_file), and
 * lint of that spec against crm_verify on our XML. Also the lint time of a 5000-line spec, the size the
 * editor debounces for (a keystroke must not wait for it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crmToCibXml, lintCrm } from '../src/core/crm/index';
import type { BenchRow } from './lib';
import { medianMs } from './lib';

/** A generated spec: n IPaddr2 primitives (3 lines each) with a location preference each — about 4n lines. */
export function spec(n: number): string {
  const out = ['property stonith-enabled=false'];
  for (let i = 0; i < n; i++) {
    out.push(`primitive vip${i} ocf:heartbeat:IPaddr2 \\\n\tparams ip=10.1.${Math.floor(i / 250)}.${i % 250} cidr_netmask=24 \\\n\top monitor interval=10s`);
    out.push(`location vip${i}-prefers-node1 vip${i} ${i}: node1`);
  }
  return out.join('\n') + '\n';
}

export async function bench(): Promise<BenchRow[]> {
  const text = spec(200);
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pcx-crm-bench-'));
  try {
    const file = join(dir, 'spec.crm');
    writeFileSync(file, text);
    const haveCrm = spawnSync('crm', ['--version']).status === 0;
    const compile = await medianMs(5, () => crmToCibXml(text));
    let crmsh: number | undefined;
    if (haveCrm) {
      crmsh = await medianMs(1, () => {
        spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' });
        const cib = join(dir, 'cib.xml');
        writeFileSync(cib, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
        spawnSync('crm', ['-F', 'configure', 'load', 'update', file], { env: { ...process.env, CIB_file: cib, HOME: dir }, encoding: 'utf8' });
      });
    }
    rows.push({ name: 'pcx render spec → CIB XML (200 resources + 200 constraints)', value: compile, baselineName: haveCrm ? 'crm configure load update' : undefined, baseline: crmsh, note: haveCrm ? undefined : 'crmsh absent' });
    const lint = await medianMs(5, () => lintCrm(text));
    const xml = crmToCibXml(text);
    let verify: number | undefined;
    if (xml.ok) {
      const cib = join(dir, 'ours.xml');
      writeFileSync(cib, xml.value.xml);
      verify = await medianMs(3, () => spawnSync('crm_verify', ['--xml-file', cib]));
    }
    rows.push({ name: 'pcx lint spec (same file)', value: lint, baselineName: 'crm_verify --xml-file on our XML', baseline: verify });
    const big = spec(1250); // ≈ 5000 lines
    rows.push({ name: `pcx lint ${big.split('\n').length}-line spec (editor debounces 1 s above 2000 lines)`, value: await medianMs(3, () => lintCrm(big)) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
