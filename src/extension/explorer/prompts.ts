/**
 * The SSH questions only a person can answer, asked in VS Code: trust an unknown host key (a modal
 * showing the SHA256 fingerprint, as `ssh` does) and a key passphrase (never stored).
 *
 * Asking is deliberate and remembered for the window's lifetime (HostKeyGate, PassphraseGate):
 *  - the modal's default button (Enter) is "Don't Trust"; trusting takes a deliberate click;
 *  - a refusal (Don't Trust, Cancel, Escape; Cancel on the passphrase box) is remembered: the poller's
 *    retries get the refusal at once, the tree shows it with "Review Host Key…" (or Retry), and nothing
 *    asks again until the user acts;
 *  - a host the user did not configure (discovered from the cluster's node list) is never asked about in
 *    passing: its unknown key is reported, the known hosts keep being read, and "Review Host Key…" asks.
 * Concurrent asks for the same key share one modal.
 */
import * as vscode from 'vscode';
import type { PassphraseCallback } from '../../core/ssh/auth';
import type { HostKeyDecision, HostKeyPolicy, UnknownHostKey } from '../../core/ssh/connection';
import { keyTypeLabel } from '../../core/ssh/knownHosts';
import { PcxFailure } from '../../core/util/result';

const keyId = (key: UnknownHostKey): string => `${key.knownHostsName} ${key.fingerprint}`;

export class HostKeyGate {
  /** Hosts the user configured: only these are asked about while connecting. */
  private configured = new Set<string>();
  /** Unknown keys seen and not trusted, by the alias they were met under: what "Review Host Key…" shows. */
  private readonly untrusted = new Map<string, UnknownHostKey>();
  /** Keys refused in this window (by known_hosts name + fingerprint). */
  private readonly refused = new Set<string>();
  /** Decisions taken in "Review Host Key…", applied when the host is next connected to. */
  private readonly decided = new Map<string, HostKeyDecision>();
  private readonly pending = new Map<string, Promise<HostKeyDecision>>();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly ask: (key: UnknownHostKey) => Thenable<HostKeyDecision> = askHostKey,
  ) {}

  setConfiguredHosts(hosts: Iterable<string>): void {
    this.configured = new Set(hosts);
  }

  /** Whether "Review Host Key…" has something to show for this host. */
  hasUntrusted(host: string): boolean {
    return this.untrusted.has(host);
  }

  readonly policy: HostKeyPolicy = (key) => {
    const id = keyId(key);
    const decided = this.decided.get(id);
    if (decided) {
      // Trust and Save (from a review) is written by this connect, after which the key is known.
      if (decided === 'accept-and-save') this.decided.delete(id);
      this.untrusted.delete(key.host);
      return decided;
    }
    this.untrusted.set(key.host, key);
    const label = `${keyTypeLabel(key.keyType)} key ${key.fingerprint}`;
    if (this.refused.has(id)) {
      throw new PcxFailure('host-key-not-trusted', `the host key of ${key.host} (${label}) was not trusted in this window`, 'Use "Review Host Key…" to compare the fingerprint again and trust it.', key.host);
    }
    if (!this.configured.has(key.host)) {
      throw new PcxFailure(
        'host-key-unknown',
        `${key.host} (a node discovered from the cluster) presents an unknown ${label}; pcx does not trust it without asking`,
        `Use "Review Host Key…" to compare the fingerprint with the node's (ssh-keygen -lf /etc/ssh/ssh_host_${keyTypeLabel(key.keyType).toLowerCase()}_key.pub) and trust it. The known nodes are read meanwhile.`,
        key.host,
      );
    }
    return this.decide(key);
  };

  /** "Review Host Key…": show the modal for the key last seen from `host`; true when the user trusted it. */
  async review(host: string): Promise<boolean> {
    const key = this.untrusted.get(host);
    if (!key) return false;
    const decision = await this.decide(key);
    if (decision === 'reject') return false;
    // Written to known_hosts by the next connect, which this policy answers with the decision.
    if (decision === 'accept-and-save') this.decided.set(keyId(key), decision);
    return true;
  }

  private decide(key: UnknownHostKey): Promise<HostKeyDecision> {
    const id = keyId(key);
    let asking = this.pending.get(id);
    if (!asking) {
      asking = Promise.resolve(this.ask(key)).then((d) => {
        this.log.info(`host key of ${key.host} (${key.keyType} ${key.fingerprint}): ${d}`);
        if (d === 'reject') {
          this.refused.add(id);
        } else {
          this.refused.delete(id);
          this.untrusted.delete(key.host);
          // Trust Once holds until the window closes (reconnects included); a saved key is in known_hosts.
          if (d === 'accept-once') this.decided.set(id, d);
        }
        return d;
      });
      this.pending.set(id, asking);
      void asking.finally(() => this.pending.delete(id));
    }
    return asking;
  }
}

export const DONT_TRUST = "Don't Trust";
export const TRUST_ONCE = 'Trust Once';
export const TRUST_AND_SAVE = 'Trust and Save';

/** The modal. Its first button is the default one (Enter): "Don't Trust". */
async function askHostKey(key: UnknownHostKey): Promise<HostKeyDecision> {
  const other = key.otherKnownTypes.length > 0 ? `\n\nNote: this host is already known with a ${key.otherKnownTypes.join(', ')} key. A new key type can be legitimate, but check.` : '';
  const choice = await vscode.window.showWarningMessage(
    `The authenticity of host "${key.host}" can't be established.`,
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

/**
 * The passphrase box. Cancel (or Escape) is remembered for that key and host: later connects skip the key
 * without asking, until forget() (Retry / Refresh).
 */
export class PassphraseGate {
  private readonly refused = new Set<string>();

  readonly prompt: PassphraseCallback = async (request) => {
    const id = `${request.keyFile}\n${request.host}`;
    if (this.refused.has(id)) return undefined;
    const given = await vscode.window.showInputBox({
      title: 'SSH key passphrase',
      prompt: `Passphrase for ${request.keyFile} to log in to ${request.host}${request.attempt > 1 ? ' (wrong passphrase, try again)' : ''} — not stored`,
      password: true,
      ignoreFocusOut: true,
    });
    if (given === undefined) this.refused.add(id);
    return given;
  };

  /** The user asked to try again: ask for passphrases again. */
  forget(): void {
    this.refused.clear();
  }
}
