// Issue 29 §2 in a real VS Code (code-server): a node attribute set on the real cluster with hostile markdown
// (crm_attribute -N node2 -n site -v …: bold fake verdict, link, remote image, $(pass-filled) icon, HTML, autolinks)
// shows in the attribute row's tooltip as text — the rendered hover holds no link, image, icon or bold text.
// The attribute is deleted at the end; the cluster is otherwise untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openVsCode } from './harness';
import { clusterUiSkipReason, has, waitForRows } from './steps';
import { ssh, sshOk, STATE_DIR } from '../cluster/helpers';
import { HOSTILE } from '../unit/explorer/markdownText';

test('a hostile node attribute from the real cluster renders as text in its tooltip (no link, image or icon)', { timeout: 300_000 }, async (t) => {
  const reason = clusterUiSkipReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  await sshOk('node1', ['crm_attribute', '-N', 'node2', '-n', 'site', '-v', HOSTILE]);
  const ui = await openVsCode({
    settings: { 'pacemaker.ssh.configFile': join(STATE_DIR, 'ssh_config'), 'pacemaker.ssh.knownHostsFile': join(STATE_DIR, 'known_hosts') },
    files: { '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1', 'node2'] }] }, null, 2) },
    viewport: { width: 1500, height: 950 },
  });
  try {
    await ui.page.click('.activitybar [aria-label^="Pacemaker"]');
    await waitForRows(ui, (rows) => has(rows, /^node2 online/), 60_000, 'node2 in the tree');
    await ui.page.click('.monaco-list-row:has-text("node2 ")');
    await waitForRows(ui, (rows) => has(rows, /^site .*Cluster verified OK/), 30_000, 'the site attribute under node2');
    const hover = ui.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'node attribute' }).first();
    for (let tries = 1; ; tries++) {
      await ui.page.mouse.move(5, 5);
      await ui.page.hover('.monaco-list-row:has-text("Cluster verified OK")', { timeout: 10_000 });
      if (await hover.waitFor({ state: 'visible', timeout: 8_000 }).then(() => true, () => false)) break;
      assert.ok(tries < 3, 'the attribute tooltip did not show after 3 hovers');
    }
    const html = await hover.innerHTML();
    const text = await hover.innerText();
    console.log(`hostile attribute tooltip (rendered text): ${text.replace(/\s+/g, ' ')}`);
    assert.ok(text.includes('Cluster verified OK') && text.includes('[Open runbook](https://evil.example/r)'), `the value is shown as text: ${text}`);
    assert.doesNotMatch(html, /<a\b|<img\b|codicon-pass-filled|<strong>\s*Cluster|<h1/i, `the hover holds markup from the value:\n${html}`);
  } finally {
    await ui.close();
    await ssh('node1', ['crm_attribute', '-N', 'node2', '-n', 'site', '-D']);
  }
});
