/**
 * `pacemaker.ssh.configFile` and `pacemaker.ssh.knownHostsFile` are machine settings (package.json
 * `"scope": "machine"`): a repository's `.vscode/settings.json` must not choose them. An ssh_config runs
 * programs (`Match exec`, `ProxyCommand`, `LocalCommand`) when `ssh -G -F FILE` reads it, and a known_hosts file
 * decides which host keys are trusted (and receives the ones accepted). So the reader takes only the user's
 * (global) value or the default, whatever the settings API would merge in from a workspace or folder, and says
 * which workspace values it ignored.
 */

/** The shape of `WorkspaceConfiguration.inspect(key)` this reader needs. */
export interface InspectedSetting<T> {
  readonly defaultValue?: T;
  readonly globalValue?: T;
  readonly workspaceValue?: T;
  readonly workspaceFolderValue?: T;
}

export interface SshSettings {
  readonly sshConfigPath?: string;
  readonly knownHostsPath?: string;
  /** Workspace or folder values that were set and not used ("pacemaker.ssh.configFile"). */
  readonly ignored: readonly string[];
}

export const MACHINE_SSH_SETTINGS = ['ssh.configFile', 'ssh.knownHostsFile'] as const;

function userValue(key: string, i: InspectedSetting<string> | undefined, ignored: string[]): string | undefined {
  if (i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined) ignored.push(`pacemaker.${key}`);
  const v = (i?.globalValue ?? i?.defaultValue)?.trim();
  return v ? v : undefined;
}

/** The two SSH file settings as the user set them (never from a workspace). */
export function sshSettingsFrom(inspect: (key: (typeof MACHINE_SSH_SETTINGS)[number]) => InspectedSetting<string> | undefined): SshSettings {
  const ignored: string[] = [];
  const sshConfigPath = userValue('ssh.configFile', inspect('ssh.configFile'), ignored);
  const knownHostsPath = userValue('ssh.knownHostsFile', inspect('ssh.knownHostsFile'), ignored);
  return { sshConfigPath, knownHostsPath, ignored };
}
