/**
 * The SSH questions only a person can answer, asked in VS Code: trust an unknown host key (a modal
 * showing the SHA256 fingerprint, as `ssh` does) and a key passphrase (never stored).
 * Concurrent asks for the same host share one modal.
 */
import * as vscode from 'vscode';
import type { PassphraseCallback } from '../../core/ssh/auth';
import type { HostKeyDecision, HostKeyPolicy, UnknownHostKey } from '../../core/ssh/connection';
import { keyTypeLabel } from '../../core/ssh/knownHosts';

export function hostKeyPolicy(log: vscode.LogOutputChannel): HostKeyPolicy {
  const pending = new Map<string, Promise<HostKeyDecision>>();
  return (key: UnknownHostKey) => {
    const id = `${key.knownHostsName} ${key.fingerprint}`;
    let ask = pending.get(id);
    if (!ask) {
      ask = askHostKey(key).then((d) => {
        log.info(`host key of ${key.host} (${key.keyType} ${key.fingerprint}): ${d}`);
        return d;
      });
      pending.set(id, ask);
      void ask.finally(() => pending.delete(id));
    }
    return ask;
  };
}

async function askHostKey(key: UnknownHostKey): Promise<HostKeyDecision> {
  const other = key.otherKnownTypes.length > 0 ? `\n\nNote: this host is already known with a ${key.otherKnownTypes.join(', ')} key. A new key type can be legitimate, but check.` : '';
  const save = 'Trust and Save';
  const once = 'Trust Once';
  const choice = await vscode.window.showWarningMessage(
    `The authenticity of host "${key.host}" can't be established.`,
    {
      modal: true,
      detail: `${key.keyType} key fingerprint is ${key.fingerprint}.\n\nCompare it with the one on the node (ssh-keygen -lf /etc/ssh/ssh_host_${keyTypeLabel(key.keyType).toLowerCase()}_key.pub) before trusting it. "Trust and Save" adds it to ${key.knownHostsFile}.${other}`,
    },
    save,
    once,
  );
  return choice === save ? 'accept-and-save' : choice === once ? 'accept-once' : 'reject';
}

export const passphrasePrompt: PassphraseCallback = async (request) => {
  return vscode.window.showInputBox({
    title: 'SSH key passphrase',
    prompt: `Passphrase for ${request.keyFile} to log in to ${request.host}${request.attempt > 1 ? ' (wrong passphrase, try again)' : ''} — not stored`,
    password: true,
    ignoreFocusOut: true,
  });
};

