/**
 * Option injection (issue 29 §5) on the real node: every pcs and Pacemaker-tools command pcx builds for a change,
 * given a node or resource named like an option ("--all", "-x"), runs on node1 and must treat the name as a name
 * (pcs: "'--all' does not appear to exist"; crm_resource/crm_attribute: "not found") — never as an option
 * (`pcs node standby --all` would put every node in standby). The cluster must not change: its configuration
 * epoch stays, no node goes into standby or maintenance. crmsh's builders refuse such names (unit tests).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { banArgv, cleanupArgv, clearArgv, managedArgv, moveArgv, nodeMaintenanceArgv, restartArgv, standbyArgv, targetRoleArgv } from '../../src/core/operations/argv';
import { chooseDialect } from '../../src/core/operations/backend';
import { crmMon, requireCluster, ssh, sshOk } from './helpers';

const v = (text: string) => {
  const [major, minor] = text.split('.').map(Number);
  return { text, major: major!, minor: minor! };
};
// The test node's versions (pcs 0.11.5, Pacemaker 2.1.5).
const tools = { pacemaker: v('2.1.5'), pcs: v('0.11.5'), crmsh: v('4.4.0') };

test('names like "--all" reach pcs and crm_resource as names on the real node; nothing changes', { timeout: 120_000 }, async () => {
  requireCluster();
  const epoch = async () => (await sshOk('node1', ['cibadmin', '-Q', '-l', '-A', '/cib', '-n'])).match(/\bepoch="(\d+)"/)?.[1];
  const before = await epoch();
  // Each pcs verb shape once (pcs takes ~0.4 s a call; these depend on the "--" pcx adds), and Pacemaker's tools,
  // which get names only as option values, once for a node and once for a resource.
  const pcs = chooseDialect(tools, 'pcs');
  const pacemaker = chooseDialect(tools, 'pacemaker');
  const commands: string[][] = [
    standbyArgv(pcs, '--all', true),
    nodeMaintenanceArgv(pcs, '--all', true),
    banArgv(pcs, 'redis-clone', '--all', true).argv,
    moveArgv(pcs, '-x', 'node2'),
    clearArgv(pcs, '-x'),
    targetRoleArgv(pcs, '-x', false),
    managedArgv(pcs, '-x', false),
    restartArgv(pcs, '-x').argv,
    cleanupArgv(pcs, '-x', 'node1').argv,
    standbyArgv(pacemaker, '--all', true),
    banArgv(pacemaker, '-x', 'node1').argv,
  ];
  const t0 = Date.now();
  try {
    for (const argv of commands) {
      const r = await ssh('node1', argv, { timeoutMs: 60_000 });
      const said = `${r.stdout}${r.stderr}`;
      assert.notEqual(r.code, 0, `${argv.join(' ')} succeeded: ${said}`);
      assert.match(said, /'(--all|-x)' (does not appear to exist|does not exist|not found)|Resource '-x' not found|Node '--all' not found|Could not map name=--all/, `${argv.join(' ')}: the name was not taken as a name: ${said}`);
    }
  } finally {
    // Had a name been read as an option (the bug), every node would be in standby: put them back for the next file.
    const state = await crmMon('node1');
    if (state.nodes.some((n) => n.standby)) await ssh('node1', ['pcs', 'node', 'unstandby', '--all'], { timeoutMs: 60_000 });
    if (state.nodes.some((n) => n.maintenance)) await ssh('node1', ['pcs', 'node', 'unmaintenance', '--all'], { timeoutMs: 60_000 });
  }
  console.log(`# option-like names: ${commands.length} commands on node1 in ${Date.now() - t0} ms, each refused the name as unknown`);
  assert.equal(await epoch(), before, 'the configuration did not change');
  assert.ok(commands.slice(0, 9).every((argv) => argv[0] === 'pcs' && argv.includes('--')), 'pcs gets "--" before such names');
  const state = await crmMon('node1');
  assert.deepEqual(state.nodes.filter((n) => n.standby || n.maintenance).map((n) => n.name), [], 'no node in standby or maintenance');
});
