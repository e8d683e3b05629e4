// Bootstrap's plan shows the commands it runs: the tool check, the authkey copy and the corosync.conf writes are the
// very argv lists preflight and runBootstrap use (it used to show `command -v …` and run an `sh -c` loop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupArgv, missingToolsArgv, planBootstrap, writeFileArgv } from '../../../src/core/bootstrap/bootstrap';
import { readClusterFolder } from '../../../src/core/bootstrap/folder';
import { createClusterFolder } from '../../../src/core/bootstrap/template';
import { quoteArgv } from '../../../src/core/util/shellQuote';

test("the bootstrap plan's commands are the argv the steps run", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-plan-'));
  try {
    await createClusterFolder(join(dir, 'c'), { clusterName: 'c', nodes: [{ name: 'alpha', address: '192.0.2.11' }, { name: 'beta', address: '192.0.2.12' }], vip: '192.0.2.100' });
    const plan = planBootstrap(await readClusterFolder(join(dir, 'c')), 'STAMP');
    const commands = plan.flatMap((s) => s.commands);
    assert.ok(commands.includes(quoteArgv(missingToolsArgv())), 'the tool check as it runs');
    assert.ok(!commands.some((c) => /^command -v /.test(c)), 'no command shown that is not run');
    assert.ok(commands.some((c) => c.endsWith(quoteArgv(writeFileArgv('/etc/corosync/authkey', '077')))), 'the authkey write as it runs');
    assert.ok(commands.includes(quoteArgv(backupArgv('/etc/corosync/corosync.conf', 'STAMP'))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
