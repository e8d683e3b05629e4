/**
 * Asking a person about SSH, deliberately and once: the decisions an editor's host-key modal and passphrase
 * box need remembered for the window's lifetime, without the UI (the asking is a callback), so they are
 * tested in plain Node.
 *  - A refusal (Don't Trust, Cancel, Escape) is remembered: later connects get the refusal at once
 *    ('host-key-not-trusted'), and nothing asks again until the user reviews the key.
 *  - A host the user did not configure (discovered from the cluster's node list) is never asked about in
 *    passing: its unknown key is reported ('host-key-unknown'), the known hosts keep being read, and
 *    review() asks.
 *  - Trust Once holds until the window closes (reconnects included); Trust and Save is written to known_hosts.
 *  - A passphrase refused (Cancel) for a key and host is not asked for again until forget() (Retry).
 * Concurrent asks for the same key share one question.
 */
import { PcxFailure } from '../util/result';
import type { PassphraseCallback, PassphraseRequest } from './auth';
import type { HostKeyDecision, HostKeyPolicy, UnknownHostKey } from './connection';
import { keyTypeLabel } from './knownHosts';

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
  /** The host each Trust Once was given for, so removing its cluster can take it back (forgetTrustOnce). */
  private readonly onceFor = new Map<string, string>();

  constructor(
    private readonly ask: (key: UnknownHostKey) => PromiseLike<HostKeyDecision>,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  setConfiguredHosts(hosts: Iterable<string>): void {
    this.configured = new Set([...hosts, ...this.typed]);
  }

  /** Hosts the user named on the spot (Add Cluster): asked about like configured ones, across reloads. */
  private readonly typed = new Set<string>();

  /** The user just named this host (e.g. in Add Cluster): its unknown key is asked about, not only reported. */
  allow(host: string): void {
    this.typed.add(host);
    this.configured.add(host);
  }

  /**
   * The clusters of these hosts were removed: a Trust Once given for them ends with them, so adding such a
   * cluster back asks again (a key saved to known_hosts is checked there as always). Returns the hosts forgotten.
   */
  forgetTrustOnce(hosts: Iterable<string>): string[] {
    const gone = new Set(hosts);
    const forgotten: string[] = [];
    for (const [id, host] of [...this.onceFor]) {
      if (!gone.has(host)) continue;
      this.onceFor.delete(id);
      this.decided.delete(id);
      forgotten.push(host);
    }
    return forgotten;
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
        this.log(`host key of ${key.host} (${key.keyType} ${key.fingerprint}): ${d}`);
        if (d === 'reject') {
          this.refused.add(id);
        } else {
          this.refused.delete(id);
          this.untrusted.delete(key.host);
          // Trust Once holds until the window closes (reconnects included); a saved key is in known_hosts.
          if (d === 'accept-once') {
            this.decided.set(id, d);
            this.onceFor.set(id, key.host);
          }
        }
        return d;
      });
      this.pending.set(id, asking);
      void asking.finally(() => this.pending.delete(id));
    }
    return asking;
  }
}

/** Cancel on a passphrase prompt is remembered for that key and host until forget() (the user chose to retry). */
export class PassphraseGate {
  private readonly refused = new Set<string>();

  constructor(private readonly ask: (request: PassphraseRequest) => PromiseLike<string | undefined>) {}

  readonly prompt: PassphraseCallback = async (request) => {
    const id = `${request.keyFile}\n${request.host}`;
    if (this.refused.has(id)) return undefined;
    const given = await this.ask(request);
    if (given === undefined) this.refused.add(id);
    return given;
  };

  /** The user asked to try again: ask for passphrases again. */
  forget(): void {
    this.refused.clear();
  }
}
