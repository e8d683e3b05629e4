// A transition's scheduler input in words: crm_simulate's XML for pe-input-10 of the failover captured on the test
// cluster (Pacemaker 2.1.5), and the refusals crm_simulate answers with (a real transcript of a missing input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandRunner, type CommandExecutor } from '../../../src/core/remote/runner';
import { formatSummary, simulateTransition, summariseSimulation } from '../../../src/core/logs/simulate';
import { PcxFailure } from '../../../src/core/util/result';

const XML = readFileSync(join(__dirname, 'fixtures', 'crm_simulate-pe-input-10.xml'), 'utf8');
const INPUT = '/var/lib/pacemaker/pengine/pe-input-10.bz2';

test('failover transition in words: what failed, what was decided, where things end up', () => {
  const s = summariseSimulation(XML, INPUT);
  assert.deepEqual(s.before, ['redis failed on node1']);
  assert.deepEqual(s.actions, [
    'stop redis:0 on node1 (Promoted), because of node availability',
    'promote redis:1 on node2 (Unpromoted → Promoted)',
    'move VIP from node1 to node2',
  ]);
  assert.deepEqual(s.after, ['redis-clone: Promoted on node2', 'VIP: Started on node2']);
  assert.ok(s.steps > 10);
  assert.match(formatSummary(s).join('\n'), /decided: stop redis:0 .*; promote redis:1 .*; move VIP from node1 to node2/);
});

function executor(result: { stdout?: string; stderr?: string; code: number }): CommandExecutor & { lines: string[] } {
  const lines: string[] = [];
  return { host: 'node1', lines, async exec(line) { lines.push(line); return { stdout: result.stdout ?? '', stderr: result.stderr ?? '', code: result.code }; } };
}

test('crm_simulate runs read-only on the quoted path; a pruned input and a bad path are clear failures', async () => {
  const ok = executor({ stdout: XML, code: 0 });
  await simulateTransition(new CommandRunner(ok, 'root'), INPUT);
  assert.match(ok.lines[0]!, /crm_simulate --simulate --xml-file \/var\/lib\/pacemaker\/pengine\/pe-input-10\.bz2 --output-as=xml$/);
  const missing = executor({ stderr: 'Could not open /var/lib/pacemaker/pengine/pe-input-999.bz2 for reading: No such file or directory (2)\n', code: 70 });
  await assert.rejects(simulateTransition(new CommandRunner(missing, 'root'), '/var/lib/pacemaker/pengine/pe-input-999.bz2'), (e) => e instanceof PcxFailure && e.code === 'pe-input-missing' && /pe-input-series-max/.test(e.hint ?? ''));
  await assert.rejects(simulateTransition(new CommandRunner(ok, 'root'), '/tmp/$(reboot).bz2'), (e) => e instanceof PcxFailure && e.code === 'bad-input');
  const denied = executor({ stderr: 'Could not open x: Permission denied', code: 4 });
  await assert.rejects(simulateTransition(new CommandRunner(denied, 'alice'), INPUT), (e) => e instanceof PcxFailure && /crm_simulate/.test(e.hint ?? ''));
});
