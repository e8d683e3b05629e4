/** Expected failures are values; bugs throw. */
import type { FailureCode } from './failures';
export type Result<T, E = PcxError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/**
 * A failure a user can act on: what went wrong (`message`), where (`host`), and what to do (`hint`).
 * `code` is stable and machine-readable (used by tests, JSON output and the UI to pick actions).
 */
export interface PcxError {
  readonly code: FailureCode;
  readonly message: string;
  readonly hint?: string;
  readonly host?: string;
}

/**
 * What a caller may offer beside the hint, as data, so that no caller has to search message or hint text to
 * decide which action to show (a button, a flag to suggest).
 */
export interface FailureRemedy {
  /** Running the cluster tools through `sudo -n` may fix it; `rule` is the sudoers line that allows it. */
  readonly sudo?: { readonly user: string; readonly rule: string };
  /**
   * An unknown host key that may be trusted once its fingerprint is checked: `verify` says how to check it,
   * `sshCommand` accepts it the OpenSSH way; a caller adds its own way (pcx: --accept-new-host-key).
   */
  readonly acceptHostKey?: { readonly fingerprint: string; readonly knownHostsFile: string; readonly verify: string; readonly sshCommand: string };
}

export class PcxFailure extends Error implements PcxError {
  constructor(
    readonly code: FailureCode,
    message: string,
    readonly hint?: string,
    readonly host?: string,
    readonly remedy?: FailureRemedy,
  ) {
    super(message);
    this.name = 'PcxFailure';
  }
}

/** One line for a terminal or a notification: "host: message — hint". */
export function describeError(e: PcxError): string {
  const where = e.host ? `${e.host}: ` : '';
  return e.hint ? `${where}${e.message}\n  → ${e.hint}` : `${where}${e.message}`;
}
