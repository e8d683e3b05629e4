// Issue 29 §4: a repository cannot choose the ssh_config (which runs `Match exec` / ProxyCommand) or the known_hosts
// file: both settings are machine-scoped in package.json, and the reader takes only the user's value, so a
// `.vscode/settings.json` in the workspace is ignored even where the settings API would merge it in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MACHINE_SSH_SETTINGS, sshSettingsFrom, type InspectedSetting } from '../../../src/core/cluster/sshSettings';

const root = join(__dirname, '..', '..', '..');

/** What `getConfiguration('pacemaker').inspect(key)` gives with this user settings.json and workspace settings.json. */
function inspectFrom(user: Record<string, string>, workspaceSettingsJson: string) {
  const ws = JSON.parse(workspaceSettingsJson) as Record<string, string>;
  return (key: string): InspectedSetting<string> => ({ defaultValue: '', globalValue: user[`pacemaker.${key}`], workspaceValue: ws[`pacemaker.${key}`] });
}

const REPO_SETTINGS = JSON.stringify({ 'pacemaker.ssh.configFile': '${workspaceFolder}/.ssh/evil_config', 'pacemaker.ssh.knownHostsFile': '/repo/known_hosts' });

test('a workspace .vscode/settings.json value for the SSH files is ignored, and named as ignored', () => {
  const none = sshSettingsFrom(inspectFrom({}, REPO_SETTINGS));
  assert.equal(none.sshConfigPath, undefined);
  assert.equal(none.knownHostsPath, undefined);
  assert.deepEqual(none.ignored, ['pacemaker.ssh.configFile', 'pacemaker.ssh.knownHostsFile']);
  const user = sshSettingsFrom(inspectFrom({ 'pacemaker.ssh.configFile': ' /home/me/.ssh/lab_config ', 'pacemaker.ssh.knownHostsFile': '/home/me/.ssh/lab_known' }, REPO_SETTINGS));
  assert.equal(user.sshConfigPath, '/home/me/.ssh/lab_config');
  assert.equal(user.knownHostsPath, '/home/me/.ssh/lab_known');
  const folder = sshSettingsFrom((k) => ({ defaultValue: '', workspaceFolderValue: `/repo/${k}` }));
  assert.equal(folder.sshConfigPath, undefined, 'a folder value is ignored too');
  assert.equal(sshSettingsFrom(() => undefined).ignored.length, 0);
});

test('the check can fail: a reader that takes the merged value (cfg.get) uses the repository\'s file', () => {
  const merged = (i: InspectedSetting<string>) => i.workspaceFolderValue ?? i.workspaceValue ?? i.globalValue ?? i.defaultValue;
  assert.equal(merged(inspectFrom({}, REPO_SETTINGS)('ssh.configFile')), '${workspaceFolder}/.ssh/evil_config');
});

test('package.json: both SSH file settings are machine-scoped and restricted in untrusted workspaces', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    contributes: { configuration: { properties: Record<string, { scope?: string }> } | { properties: Record<string, { scope?: string }> }[] };
  };
  const props = Object.assign({}, ...[pkg.contributes.configuration].flat().map((c) => c.properties)) as Record<string, { scope?: string }>;
  for (const key of MACHINE_SSH_SETTINGS) {
    assert.equal(props[`pacemaker.${key}`]?.scope, 'machine', `pacemaker.${key} has "scope": "machine"`);
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(`pacemaker.${key}`));
  }
  // The extension reads them in one place, through the machine-only reader.
  const store = readFileSync(join(root, 'src', 'extension', 'explorer', 'clusterStore.ts'), 'utf8');
  assert.match(store, /sshSettingsFrom\(\(key\) => cfg\.inspect<string>\(key\)\)/);
  assert.doesNotMatch(store, /get<string>\('ssh\./);
});
