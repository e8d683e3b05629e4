// A connected cluster's own agent metadata: crm_resource's meta-data XML read into the catalog (the same
// conversion as the bundled data), layered over the bundled agents in the linter, and an agent the node does
// not have reported where the spec names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseAgentMetadata } from '../../../src/core/crm/agentMetadata';
import { bundledAgents } from '../../../src/core/crm/agents';
import { askableAgent, clusterCatalog, clusterForSpec, mergeReads, readAgentMetadata } from '../../../src/core/crm/clusterAgents';
import { isInstalled } from '../../../src/core/crm/installedAgents';
import { CommandRunner } from '../../../src/core/remote/runner';
import { lintCrm } from '../../../src/core/crm/lint';

const META = `<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="anything" version="1.0">
<version>1.0</version>
<longdesc lang="en">Runs   any
binary.</longdesc>
<shortdesc lang="en">Manages an arbitrary service</shortdesc>
<parameters>
<parameter name="binfile" required="1" unique="1"><longdesc lang="en">The full name of the binary to be executed.</longdesc><shortdesc lang="en">Full path name of the binary to be executed</shortdesc><content type="string" default=""/></parameter>
<parameter name="pidfile"><longdesc lang="en">File to read/write the PID from/to.</longdesc><shortdesc lang="en">File to write STDOUT to</shortdesc><content type="string" default="/var/run/anything.pid"/></parameter>
</parameters>
<actions>
<action name="start" timeout="20s" />
<action name="monitor" depth="0" timeout="20s" interval="10s" />
</actions>
</resource-agent>`;

test('an agent\'s meta-data XML becomes parameters (required, unique, defaults) and actions (timeouts)', () => {
  const m = parseAgentMetadata(META, 'ocf:heartbeat:anything');
  assert.equal(m.shortdesc, 'Manages an arbitrary service');
  assert.equal(m.longdesc, 'Runs any binary.');
  assert.deepEqual(m.parameters.map((p) => [p.name, p.required ?? false, p.unique ?? false, p.default]), [
    ['binfile', true, true, undefined],
    ['pidfile', false, false, '/var/run/anything.pid'],
  ]);
  assert.deepEqual(m.actions, [{ name: 'start', timeout: '20s' }, { name: 'monitor', timeout: '20s', interval: '10s' }]);
});

test('output that is not an agent\'s meta-data is refused with what to run', () => {
  assert.throws(() => parseAgentMetadata('Error performing operation: No such object', 'ocf:heartbeat:x'), (e: Error & { code?: string; hint?: string }) => {
    assert.equal(e.code, 'agent-metadata-unreadable');
    assert.match(e.hint ?? '', /crm_resource --show-metadata/);
    return true;
  });
});

test('the bundled data is what the same conversion makes of the installed agents', { skip: spawnSync('crm_resource', ['--version']).status === 0 || process.env.CI === 'true' ? false : 'crm_resource not installed here (CI installs pacemaker)' }, () => {
  for (const key of ['ocf:heartbeat:IPaddr2', 'ocf:heartbeat:redis', 'ocf:pacemaker:Stateful']) {
    const xml = spawnSync('crm_resource', ['--show-metadata', key], { encoding: 'utf8' });
    assert.equal(xml.status, 0, xml.stderr);
    assert.deepEqual(parseAgentMetadata(xml.stdout, key), bundledAgents.get(key), `${key}: regenerate with node --import tsx scripts/gen-agent-metadata.mjs`);
  }
});

test('only OCF and stonith agents are asked about', () => {
  assert.deepEqual(['ocf:heartbeat:IPaddr2', 'stonith:fence_xvm', 'systemd:nginx', 'lsb:exim', 'ocf:heartbeat:x;rm', 'ocf::heartbeat:x'].filter(askableAgent), ['ocf:heartbeat:IPaddr2', 'stonith:fence_xvm']);
});

const SPEC = `primitive app ocf:heartbeat:anything \\
\tparams pidfile=/run/app.pid
primitive web ocf:heartbeat:nosuch
primitive vip ocf:heartbeat:IPaddr2 \\
\tparams ip=10.0.0.100
`;

test('with a connected cluster: its agents are checked (binfile required), one it lacks is reported, the bundled ones still apply', () => {
  const read = { found: { 'ocf:heartbeat:anything': parseAgentMetadata(META, 'ocf:heartbeat:anything') }, absent: { 'ocf:heartbeat:nosuch': 'crm_resource: Metadata query for ocf:heartbeat:nosuch failed: No such device or address' }, failed: {} };
  const agentCodes = new Set(['crm/param-required', 'crm/param-unknown', 'crm/agent-not-installed', 'crm/agent-case']);
  const codes = (o?: Parameters<typeof lintCrm>[1]) => lintCrm(SPEC, o).diagnostics.filter((d) => agentCodes.has(d.code)).map((d) => `${d.range.start.line + 1}:${d.code}`);
  assert.deepEqual(codes({ cluster: clusterCatalog('node1', read) }), ['1:crm/param-required', '3:crm/agent-not-installed']);
  const missing = lintCrm(SPEC, { cluster: clusterCatalog('node1', read) }).diagnostics.find((d) => d.code === 'crm/agent-not-installed')!;
  assert.match(missing.message, /ocf:heartbeat:nosuch is not installed on node1 .*No such device or address.*Pacemaker cannot start web there/);
  // Without a cluster neither is known: nothing is said about them (no guessing from the bundled list).
  assert.deepEqual(codes(), []);
});

test('a later read of the node replaces what an earlier one said', () => {
  const meta = parseAgentMetadata(META, 'ocf:heartbeat:anything');
  const merged = mergeReads({ found: {}, absent: { 'ocf:heartbeat:anything': 'no' }, failed: { 'ocf:heartbeat:x': 'timeout' } }, { found: { 'ocf:heartbeat:anything': meta }, absent: {}, failed: {} });
  assert.deepEqual(Object.keys(merged.found), ['ocf:heartbeat:anything']);
  assert.deepEqual(merged.absent, {});
  assert.deepEqual(merged.failed, { 'ocf:heartbeat:x': 'timeout' });
});

test('a spec belongs to the connected cluster whose nodes it names; unsure → none', () => {
  const clusters = [{ name: 'prod', nodeNames: ['node1', 'node2'] }, { name: 'lab', nodeNames: ['lab1', 'lab2'] }];
  assert.equal(clusterForSpec(['node1', 'node2'], clusters), 'prod');
  assert.equal(clusterForSpec(['lab2'], clusters), 'lab');
  assert.equal(clusterForSpec(['node1', 'lab1'], clusters), undefined);
  assert.equal(clusterForSpec([], clusters), undefined);
  assert.equal(clusterForSpec([], clusters.slice(0, 1)), 'prod');
});

// Issue 29: asking for meta-data runs the agent (stonith:NAME runs /usr/sbin/NAME), so only listed agents are asked.
// The answers are the test node's own (crm_resource 2.1.5: --list-agents stonith, --list-ocf-providers, an unknown provider).
function listingNode(opts: { failStonithList?: boolean } = {}): { runner: CommandRunner; sent: string[] } {
  const sent: string[] = [];
  const answers: [RegExp, { stdout: string; stderr: string; code: number }][] = [
    [/--list-agents stonith$/, opts.failStonithList ? { stdout: '', stderr: 'crm_resource: Could not connect\n', code: 102 } : { stdout: 'apcmaster\nexternal/ssh\nfence_ipmilan\nfence_xvm\n', stderr: '', code: 0 }],
    [/--list-ocf-providers$/, { stdout: 'heartbeat\npacemaker\n', stderr: '', code: 0 }],
    [/--list-agents ocf:heartbeat$/, { stdout: 'IPaddr2\nredis\n', stderr: '', code: 0 }],
    [/--list-agents ocf:pacemaker$/, { stdout: '', stderr: "crm_resource: No agents found for standard 'ocf' and provider 'pacemaker'\n", code: 1 }],
    [/--show-metadata /, { stdout: META, stderr: '', code: 0 }],
  ];
  const executor = {
    host: 'node1',
    exec: async (commandLine: string) => {
      sent.push(commandLine.replace(/^env PATH=\S+ /, ''));
      const hit = answers.find(([re]) => re.test(commandLine));
      return hit ? hit[1] : { stdout: '', stderr: 'unexpected command', code: 127 };
    },
  };
  return { runner: new CommandRunner(executor as never, 'root'), sent };
}

test('an agent the node does not list is "not installed" and never asked about; listed ones are; the listing is reused', async () => {
  const { runner, sent } = listingNode();
  const first = await readAgentMetadata(runner, ['stonith:reboot', 'stonith:fence_xvm', 'ocf:heartbeat:IPaddr2', 'ocf:heartbeat:NoSuchAgent', 'ocf:evil:x']);
  assert.deepEqual(Object.keys(first.found).sort(), ['ocf:heartbeat:IPaddr2', 'stonith:fence_xvm']);
  assert.deepEqual(Object.keys(first.absent).sort(), ['ocf:evil:x', 'ocf:heartbeat:NoSuchAgent', 'stonith:reboot']);
  assert.match(first.absent['stonith:reboot']!, /^not among the agents crm_resource --list-agents stonith lists there, so pcx did not ask about it$/);
  assert.deepEqual(sent.filter((c) => c.includes('--show-metadata')).sort(), ['crm_resource --show-metadata ocf:heartbeat:IPaddr2', 'crm_resource --show-metadata stonith:fence_xvm']);
  assert.equal(sent.filter((c) => c.includes('--list')).length, 4, 'stonith, the providers, and each provider once');
  // The next read (the editor's next keystroke) reuses the listing: only the new, listed agent is asked about.
  sent.length = 0;
  const again = await readAgentMetadata(runner, ['ocf:heartbeat:redis', 'stonith:poweroff'], first.installed);
  assert.deepEqual(sent, ['crm_resource --show-metadata ocf:heartbeat:redis']);
  assert.deepEqual(Object.keys(mergeReads(first, again).absent).sort(), ['ocf:evil:x', 'ocf:heartbeat:NoSuchAgent', 'stonith:poweroff', 'stonith:reboot']);
  assert.equal(mergeReads(first, again).installed, first.installed);
  // A listing is exactly the node's: the cluster-glue name external/ssh is listed too.
  assert.ok(isInstalled(first.installed!, 'stonith:external/ssh') && isInstalled(first.installed!, 'IPaddr2') && !isInstalled(first.installed!, 'stonith:reboot'));
});

test('when the node cannot list its agents, nothing is asked about: every agent fails with the reason', async () => {
  const { runner, sent } = listingNode({ failStonithList: true });
  const r = await readAgentMetadata(runner, ['stonith:fence_xvm', 'ocf:heartbeat:IPaddr2']);
  assert.deepEqual(Object.keys(r.found), []);
  assert.deepEqual(Object.keys(r.absent), []);
  assert.match(r.failed['stonith:fence_xvm']!, /crm_resource --list-agents stonith failed on node1: crm_resource: Could not connect/);
  assert.deepEqual(sent.filter((c) => c.includes('--show-metadata')), []);
});
