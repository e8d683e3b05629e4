// crm spec files in a real VS Code (code-server in Chromium): a diagnostic on the right line, completion
// of IPaddr2's parameters with `ip` marked required, hover on cidr_netmask, and rename of a resource id
// updating every constraint; then, with the test cluster connected, the node's own agents checked (an agent
// the bundled data lacks, one the node lacks) — and a `stonith:PROBE` naming a program put in /usr/sbin on the nodes
// is "not installed", never run (issue 29: Pacemaker runs /usr/sbin/NAME for stonith:NAME meta-data). Screenshots
// in test-results/ui/crm-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openVsCode, repoRoot, uiUnavailableReason, type UiSession } from './harness';
import { NODES, STATE_DIR, ssh, sshOk } from '../cluster/helpers';

const skip = uiUnavailableReason();
const reference = readFileSync(join(repoRoot, 'test', 'fixtures', 'crm', 'reference.crm'), 'utf8');
// Line 27: a misspelt agent, for the diagnostic.
const spec = `${reference}primitive vip2 ocf:heartbeat:IPAddr2 params ip=10.0.0.101 op monitor interval=10s\n`;

async function openFile(s: UiSession, name: string): Promise<void> {
  await s.page.keyboard.press('Control+P');
  await s.page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
  await s.page.keyboard.type(name);
  await s.page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${name}")`, { timeout: 60_000 }); // the file index is slow on a loaded machine
  await s.page.keyboard.press('Enter');
  await s.page.waitForSelector('.monaco-editor .view-lines', { timeout: 15_000 });
}

async function goTo(s: UiSession, line: number, column: number): Promise<void> {
  await s.page.keyboard.press('Control+G');
  await s.page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
  await s.page.keyboard.type(`${line}:${column}`);
  await s.page.keyboard.press('Enter');
  await s.page.waitForTimeout(200);
}

test('crm spec file: diagnostic, completion, hover and rename in a real VS Code', { skip, timeout: 240_000 }, async () => {
  const s = await openVsCode({ files: { 'cluster.crm': spec } });
  try {
    await openFile(s, 'cluster.crm');
    await s.page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 30_000 });
    await s.page.keyboard.press('Control+Shift+M');
    const problem = await s.page.waitForSelector('.markers-panel .monaco-list-row:has-text("case-sensitive")', { timeout: 15_000 });
    const problemText = await problem.innerText();
    assert.match(problemText, /IPaddr2/);
    assert.match(problemText, /\[Ln 27/);
    await s.screenshot('crm-diagnostics');
    await s.page.keyboard.press('Escape');

    // Completion after "primitive vip ocf:heartbeat:IPaddr2 params " offers ip, marked required.
    await goTo(s, 28, 1);
    await s.page.keyboard.type('primitive vip3 ocf:heartbeat:IPaddr2 params ', { delay: 15 });
    await s.page.keyboard.press('Escape');
    await s.page.keyboard.press('Control+Space');
    const ip = await s.page.waitForSelector('.suggest-widget .monaco-list-row:has-text("ip")', { timeout: 15_000 });
    const first = await s.page.locator('.suggest-widget .monaco-list-row').first().innerText();
    assert.match(first, /^ip\b/);
    assert.match(first, /required/);
    assert.ok(ip);
    await s.page.waitForTimeout(400);
    await s.screenshot('crm-completion');
    await s.page.keyboard.press('Escape');
    await s.page.keyboard.press('Control+Shift+K'); // delete the typed line again

    // Hover on cidr_netmask explains it.
    await goTo(s, 17, 25);
    await s.page.keyboard.press('Control+K');
    await s.page.keyboard.press('Control+I');
    const hover = await s.page.waitForSelector('.monaco-hover-content:has-text("cidr_netmask")', { timeout: 15_000 });
    assert.match(await hover.innerText(), /CIDR/);
    await s.page.waitForTimeout(600);
    await s.screenshot('crm-hover');
    await s.page.keyboard.press('Escape');

    // Rename redis-clone (line 14) → every constraint follows. The rename box is typed into directly: after the
    // hover, focus reaches it a moment after it is shown, and keys sent before that went to the editor.
    await goTo(s, 14, 9);
    await s.page.keyboard.press('F2');
    const box = s.page.locator('.rename-box input');
    await box.waitFor({ state: 'visible', timeout: 15_000 });
    await box.fill('redis-ha');
    await box.press('Enter');
    await s.page.waitForSelector('.view-lines:has-text("redis-ha:promote")', { timeout: 15_000 });
    const text = (await s.page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /clone redis-ha redis/);
    assert.match(text, /vip redis-ha:Promoted/);
    assert.match(text, /redis-ha:promote vip:start/);
    assert.doesNotMatch(text, /redis-clone/);
    await goTo(s, 19, 1);
    await s.screenshot('crm-rename');
  } finally {
    await s.close();
  }
});

test('crm spec file with the cluster connected: the node\'s own agents are checked', { timeout: 240_000 }, async (t) => {
  const sshConfig = join(STATE_DIR, 'ssh_config');
  const reason = skip || (existsSync(sshConfig) ? undefined : `test cluster not set up (${sshConfig} missing: bash test/cluster/cluster.sh up seed)`);
  if (reason) {
    t.skip(reason);
    return;
  }
  // ocf:heartbeat:anything is not in the bundled data (only the node can say binfile is required); NoSuchAgent is on no node.
  // Line 8 names a probe program put on the nodes: it appends to MARKER whenever anything runs it.
  const probe = `pcxprobe${process.pid}`;
  const marker = `/tmp/${probe}.ran`;
  const markerOnNodes = async () => (await Promise.all(NODES.map(async (n) => (await ssh(n, ['sh', '-c', 'cat -- "$1" 2>/dev/null || true', 'sh', marker])).stdout.trim()))).join('');
  t.after(async () => {
    for (const n of NODES) await ssh(n, ['rm', '-f', '--', `/usr/sbin/${probe}`, marker]).catch(() => undefined);
  });
  for (const n of NODES) await sshOk(n, ['sh', '-c', 'printf "%s\\n" "#!/bin/sh" "$2" > "$1" && chmod 755 "$1"', 'sh', `/usr/sbin/${probe}`, `echo "$(id -u) $(uname -n)" >> ${marker}`]);
  const app = ['node node1', 'node node2', 'primitive app ocf:heartbeat:anything \\', '\tparams pidfile=/run/app.pid \\', '\top monitor interval=10s', 'primitive web ocf:heartbeat:NoSuchAgent \\', '\top monitor interval=10s', `primitive fence-probe stonith:${probe}`, 'property stonith-enabled=false', ''].join('\n');
  const s = await openVsCode({
    settings: { 'pacemaker.ssh.configFile': sshConfig, 'pacemaker.ssh.knownHostsFile': join(STATE_DIR, 'known_hosts') },
    files: { '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1', 'node2'] }] }), 'app.crm': app },
  });
  try {
    await s.page.click('.activitybar [aria-label^="Pacemaker"]'); // the explorer connects while its view is visible
    await s.page.waitForSelector('.monaco-list-row:has-text("2/2 nodes")', { timeout: 60_000 });
    await openFile(s, 'app.crm');
    await s.page.keyboard.press('Control+Shift+M');
    const required = await s.page.waitForSelector('.markers-panel .monaco-list-row:has-text("binfile")', { timeout: 30_000 });
    assert.match(await required.innerText(), /requires parameter "binfile"[\s\S]*\[Ln 3/);
    const absent = await s.page.waitForSelector('.markers-panel .monaco-list-row:has-text("NoSuchAgent is not installed on node")', { timeout: 15_000 });
    assert.match(await absent.innerText(), /ocf:heartbeat:NoSuchAgent is not installed on node[12][\s\S]*\[Ln 6/);
    const notRun = await s.page.waitForSelector(`.markers-panel .monaco-list-row:has-text("${probe} is not installed on node")`, { timeout: 15_000 });
    assert.equal(await markerOnNodes(), '', 'opening the spec with the cluster connected ran the probe on a node');
    assert.match(await notRun.innerText(), new RegExp(`stonith:${probe} is not installed on node[12] \\(not among the agents crm_resource --list-agents stonith lists there[\\s\\S]*\\[Ln 8`));
    await s.page.waitForTimeout(300);
    await s.screenshot('crm-cluster-agents');
  } finally {
    await s.close();
  }
});
