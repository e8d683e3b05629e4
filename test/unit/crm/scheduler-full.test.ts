// The whole Pacemaker scheduler regression suite (../shared/corpus/scheduler-full: all 854 files of
// cts/scheduler/xml) through the readers and the linter, beside the round trip (roundtrip.test.ts):
//   - the CIB parser keeps every resource, constraint, node and operation of each file (counted by the
//     independent regex walk of test/unit/cluster/corpusChecks.ts);
//   - Pacemaker's own crm_mon renders each file (CIB_file=… crm_mon --one-shot --inactive --output-as=xml, run
//     here, 4 at a time; no cluster) and the crm_mon parser keeps everything that XML holds; the snapshot and
//     health of crm_mon + CIB build without throwing;
//   - each CIB rendered as crm syntax goes through the crm linter: it returns, every range lies inside the
//     text, and the text of a CIB that pcx renders completely has no syntax error.
// Each test prints one "# scheduler-full: …" line with its counts and asserts every file was read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { assessHealth } from '../../../src/core/cluster/health';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import { cibXmlToCrm } from '../../../src/core/crm/fromCib';
import { lintCrm } from '../../../src/core/crm/lint';
import { checkCibXml, checkCrmMonXml } from '../cluster/corpusChecks';
import { assertReadAll, CORPUS_MINIMUM, corpusFiles, corpusSkip, IN_CI } from '../../corpus';

const files = corpusFiles('scheduler-full', '.xml');
const SKIP = corpusSkip('scheduler-full');
const CRM_MON = '/usr/sbin/crm_mon';
const run = promisify(execFile);

/** Errors collected per file, so one run names every failing file, not only the first. */
function failures(): { add(file: string, e: unknown): void; assertNone(what: string): void } {
  const list: string[] = [];
  return {
    add: (file, e) => list.push(`${basename(file)}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`),
    assertNone: (what) => assert.deepEqual(list, [], `${what}: ${list.length} file(s) failed; the first: ${list[0]}`),
  };
}

test('scheduler-full: the CIB parser keeps every resource, constraint, node and operation of all 854 files', { skip: SKIP }, () => {
  const t0 = performance.now();
  const bad = failures();
  let read = 0;
  for (const f of files) {
    try {
      checkCibXml(readFileSync(f, 'utf8'));
    } catch (e) {
      bad.add(f, e);
    }
    read++;
  }
  process.stdout.write(`# scheduler-full: CIB parser on ${read} files, every count kept (${Math.round(performance.now() - t0)} ms)\n`);
  assertReadAll('scheduler-full CIBs', read, files, CORPUS_MINIMUM.schedulerFull);
  bad.assertNone('CIB parser');
});

test(
  'scheduler-full: crm_mon renders each file and the crm_mon parser keeps all of it; snapshot + health build',
  { skip: SKIP || (existsSync(CRM_MON) || IN_CI ? false : `${CRM_MON} absent (Pacemaker's CLI tools): crm_mon over the scheduler suite skipped`), timeout: 600_000 },
  async () => {
    const t0 = performance.now();
    const bad = failures();
    let read = 0;
    let resources = 0;
    const one = async (f: string): Promise<void> => {
      try {
        const { stdout } = await run(CRM_MON, ['--one-shot', '--inactive', '--output-as=xml'], { env: { ...process.env, CIB_file: f }, maxBuffer: 1 << 28 });
        checkCrmMonXml(stdout);
        const mon = parseCrmMon(stdout);
        const cib = parseCib(readFileSync(f, 'utf8'));
        assert.ok(mon.ok && cib.ok);
        const snapshot = buildSnapshot(mon.value, cib.value, { source: 'scheduler-full' });
        assessHealth(snapshot);
        resources += snapshot.resources.length;
      } catch (e) {
        bad.add(f, e);
      }
      read++;
    };
    const queue = [...files];
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let f = queue.shift(); f !== undefined; f = queue.shift()) await one(f);
    }));
    process.stdout.write(`# scheduler-full: crm_mon XML of ${read} files parsed, every count kept, ${resources} top-level resources in the snapshots (${Math.round(performance.now() - t0)} ms)\n`);
    assertReadAll('scheduler-full crm_mon', read, files, CORPUS_MINIMUM.schedulerFull);
    bad.assertNone('crm_mon parser');
  },
);

test('scheduler-full: the crm linter runs on every file rendered as crm syntax', { skip: SKIP }, () => {
  const t0 = performance.now();
  const bad = failures();
  const severities: Record<string, number> = {};
  const codes = new Set<string>();
  let read = 0;
  for (const f of files) {
    read++;
    try {
      const crm = cibXmlToCrm(readFileSync(f, 'utf8'));
      assert.ok(crm.ok, `not rendered: ${!crm.ok && crm.error.message}`);
      const lines = crm.value.text.split('\n');
      const diagnostics = lintCrm(crm.value.text).diagnostics;
      for (const d of diagnostics) {
        severities[d.severity] = (severities[d.severity] ?? 0) + 1;
        codes.add(d.code);
        const { start, end } = d.range;
        assert.ok(start.line >= 0 && end.line < lines.length && (start.line < end.line || (start.line === end.line && start.character <= end.character)), `${d.code} has a range outside the text: ${JSON.stringify(d.range)}`);
      }
      // Our own text of a completely rendered CIB must parse (the round trip compiles it too).
      if (crm.value.unsupported.length === 0) assert.deepEqual(diagnostics.filter((d) => d.code === 'crm/syntax').map((d) => d.message), [], 'our own crm text has syntax errors');
    } catch (e) {
      bad.add(f, e);
    }
  }
  const total = Object.values(severities).reduce((a, b) => a + b, 0);
  process.stdout.write(`# scheduler-full: crm lint of ${read} CIBs rendered as crm: ${total} diagnostics (${Object.entries(severities).sort().map(([k, v]) => `${v} ${k}`).join(', ')}), ${codes.size} codes (${Math.round(performance.now() - t0)} ms)\n`);
  assertReadAll('scheduler-full crm lint', read, files, CORPUS_MINIMUM.schedulerFull);
  bad.assertNone('crm linter');
});
