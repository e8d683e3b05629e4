/**
 * Client authentication in ssh's order: the agent's keys first (unless IdentitiesOnly), then each key file.
 * Key files are read only when their turn comes, so a passphrase is asked for only if the agent did not
 * already get us in. The passphrase comes from a caller-supplied callback and is never stored.
 * Every attempt is recorded, so "auth-failed" can say exactly what was tried.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { AuthHandlerMiddleware, AuthenticationType, ParsedKey } from 'ssh2';
import { loadSsh2 } from './ssh2';
import type { ResolvedHost } from './sshConfig';

export interface PassphraseRequest {
  /** The key file that needs its passphrase. */
  readonly keyFile: string;
  /** The host we are logging in to (for the prompt). */
  readonly host: string;
  /** 1 on the first ask, 2 after a wrong passphrase, … */
  readonly attempt: number;
}
/** Return the passphrase, or undefined to skip this key. */
export type PassphraseCallback = (request: PassphraseRequest) => Promise<string | undefined> | string | undefined;

/** One line of "what was tried", e.g. {method: 'publickey', what: '~/.ssh/id_ed25519', outcome: 'rejected by server'}. */
export interface AuthAttempt {
  readonly method: 'agent' | 'publickey';
  readonly what: string;
  outcome: string;
}

const MAX_PASSPHRASE_TRIES = 3;

/** Load a private key, asking for its passphrase if it has one; undefined (with the reason logged) if unusable. */
async function loadKey(file: string, host: string, passphrase: PassphraseCallback | undefined, attempt: AuthAttempt): Promise<ParsedKey | undefined> {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    attempt.outcome = `could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    return undefined;
  }
  const { utils } = loadSsh2();
  let parsed = utils.parseKey(data);
  for (let tries = 1; parsed instanceof Error && /no passphrase given|bad passphrase/i.test(parsed.message); tries++) {
    if (!passphrase) {
      attempt.outcome = 'is passphrase-protected and no passphrase prompt is available (load it into ssh-agent)';
      return undefined;
    }
    if (tries > MAX_PASSPHRASE_TRIES) {
      attempt.outcome = `wrong passphrase ${MAX_PASSPHRASE_TRIES} times`;
      return undefined;
    }
    const given = await passphrase({ keyFile: file, host, attempt: tries });
    if (given === undefined) {
      attempt.outcome = 'skipped (no passphrase given)';
      return undefined;
    }
    parsed = utils.parseKey(data, given);
  }
  if (parsed instanceof Error) {
    attempt.outcome = `unusable: ${parsed.message}`;
    return undefined;
  }
  // A file may hold several keys (PPK); ssh uses the first.
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
  if (!key || !key.isPrivateKey()) {
    attempt.outcome = 'is not a private key';
    return undefined;
  }
  return key;
}

/**
 * Build ssh2's authHandler for one host. `attempts` is filled in as we go; `pending` outcomes are settled to
 * "rejected by server" when the server asks for the next method.
 */
export function makeAuthHandler(
  host: ResolvedHost,
  passphrase: PassphraseCallback | undefined,
  attempts: AuthAttempt[],
): AuthHandlerMiddleware {
  type Step = { kind: 'agent'; socket: string } | { kind: 'file'; file: string };
  const steps: Step[] = [];
  if (host.agentSocket && !host.identitiesOnly) steps.push({ kind: 'agent', socket: host.agentSocket });
  for (const file of host.identityFiles) {
    // Default key names that do not exist are not worth mentioning; configured ones are (likely a typo).
    if (existsSync(file) || host.explicitIdentities) steps.push({ kind: 'file', file });
  }
  let current: AuthAttempt | undefined;

  return (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next) => {
    if (current && current.outcome === 'offered') current.outcome = 'rejected by server';
    void (async () => {
      while (steps.length > 0) {
        if (methodsLeft && !methodsLeft.includes('publickey')) {
          for (const s of steps.splice(0)) {
            attempts.push({
              method: s.kind === 'agent' ? 'agent' : 'publickey',
              what: s.kind === 'agent' ? `ssh-agent (${s.socket})` : s.file,
              outcome: `not tried: server accepts only ${methodsLeft.join(', ')}`,
            });
          }
          break;
        }
        const step = steps.shift()!;
        if (step.kind === 'agent') {
          current = { method: 'agent', what: `ssh-agent (${step.socket})`, outcome: 'offered' };
          attempts.push(current);
          if (!existsSync(step.socket)) {
            current.outcome = 'socket does not exist';
            continue;
          }
          next({ type: 'agent', username: host.user, agent: step.socket });
          return;
        }
        current = { method: 'publickey', what: step.file, outcome: 'offered' };
        attempts.push(current);
        const key = await loadKey(step.file, host.alias, passphrase, current);
        if (!key) continue;
        next({ type: 'publickey', username: host.user, key });
        return;
      }
      current = undefined;
      next(false as unknown as AuthenticationType);
    })().catch((e: unknown) => {
      // A throwing passphrase callback must not leave the handshake hanging.
      if (current) current.outcome = `failed: ${e instanceof Error ? e.message : String(e)}`;
      next(false as unknown as AuthenticationType);
    });
  };
}

/** "tried: ssh-agent (…) — rejected by server; ~/.ssh/id_ed25519 — could not be read (ENOENT)". */
export function describeAttempts(attempts: readonly AuthAttempt[]): string {
  if (attempts.length === 0) return 'no key was available to try (no ssh-agent, no key file found)';
  return attempts.map((a) => `${a.what} — ${a.outcome}`).join('; ');
}
