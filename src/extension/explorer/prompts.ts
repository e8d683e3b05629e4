/**
 * The SSH questions only a person can answer, asked in VS Code: trust an unknown host key (a modal
 * showing the SHA256 fingerprint, as `ssh` does) and a key passphrase (never stored). What is
 * remembered between asks (refusals, Trust Once, hosts never asked about) is core/ssh/askOnce.ts.
 * The modal's default button (Enter) is "Don't Trust": trusting takes a deliberate click.
 */
import * as vscode from 'vscode';
import type { PassphraseRequest } from '../../core/ssh/auth';
import type { HostKeyDecision, UnknownHostKey } from '../../core/ssh/connection';
import { keyTypeLabel } from '../../core/ssh/knownHosts';

export const DONT_TRUST = "Don't Trust";
export const TRUST_ONCE = 'Trust Once';
export const TRUST_AND_SAVE = 'Trust and Save';

/**
 * The modal, naming the clusters the host belongs to (by the names the user gave them; none yet: the cluster being
 * added). Its first button is the default one (Enter): "Don't Trust".
 */
export async function askHostKey(key: UnknownHostKey, clusters: readonly string[] = []): Promise<HostKeyDecision> {
  const of = clusters.length === 0 ? 'a cluster being added' : clusters.length === 1 ? `cluster ${clusters[0]}` : `clusters ${clusters.join(', ')}`;
  const other = key.otherKnownTypes.length > 0 ? `\n\nNote: this host is already known with a ${key.otherKnownTypes.join(', ')} key. A new key type can be legitimate, but check.` : '';
  const choice = await vscode.window.showWarningMessage(
    `The authenticity of host "${key.host}" (${of}) can't be established.`,
    {
      modal: true,
      detail:
        `${key.keyType} key fingerprint is ${key.fingerprint}.\n\nCompare it with the one on the node (ssh-keygen -lf /etc/ssh/ssh_host_${keyTypeLabel(key.keyType).toLowerCase()}_key.pub) before trusting it. ` +
        `"${TRUST_ONCE}" trusts it until this window is closed; "${TRUST_AND_SAVE}" adds it to ${key.knownHostsFile}.${other}`,
    },
    DONT_TRUST,
    TRUST_ONCE,
    TRUST_AND_SAVE,
  );
  return choice === TRUST_AND_SAVE ? 'accept-and-save' : choice === TRUST_ONCE ? 'accept-once' : 'reject';
}

/** The passphrase box; undefined when cancelled. */
export async function askPassphrase(request: PassphraseRequest): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'SSH key passphrase',
    prompt: `Passphrase for ${request.keyFile} to log in to ${request.host}${request.attempt > 1 ? ' (wrong passphrase, try again)' : ''} — not stored`,
    password: true,
    ignoreFocusOut: true,
  });
}
