/**
 * What every verb that changes a cluster shares: --dry-run, --yes and --json, the question on a terminal, and
 * the exit codes (0 done and verified, 1 done but degraded or different from the plan, 2 refused or failed).
 * The verb prints its plan first; confirmChange only decides whether to go ahead.
 */
import { askLine } from './terminal';
import type { OptionTable } from './args';

export const CHANGE_OPTIONS = {
  'dry-run': { type: 'boolean', help: 'print the plan (commands and predicted transition) and change nothing' },
  yes: { type: 'boolean', short: 'y', help: 'go ahead without asking' },
  json: { type: 'boolean', help: 'print the plan and the outcome as JSON on stdout' },
} as const satisfies OptionTable;

export const EXIT_DONE = 0;
export const EXIT_DIFFERENT = 1;
export const EXIT_REFUSED = 2;

export type Decision = 'go' | 'dry-run' | 'refused';

export interface ConfirmOptions {
  readonly verb: string;
  readonly dryRun: boolean;
  readonly yes: boolean;
  /** The question; default "Go ahead?". */
  readonly question?: string;
  /**
   * For changes that stop every instance of a resource or leave no node online: the user must type this
   * (the cluster's name) instead of "y". --yes still skips the question: scripts say so explicitly.
   */
  readonly typeToConfirm?: string;
  /** Seams for tests. */
  readonly isTerminal?: boolean;
  readonly ask?: (prompt: string) => Promise<string | undefined>;
  readonly write?: (text: string) => void;
}

/** Decides whether to go ahead: --dry-run never does, --yes always does, otherwise ask on a terminal or refuse. */
export async function confirmChange(o: ConfirmOptions): Promise<Decision> {
  const write = o.write ?? ((t: string) => process.stderr.write(t));
  if (o.dryRun) return 'dry-run';
  if (o.yes) return 'go';
  const terminal = o.isTerminal ?? (process.stdin.isTTY === true && process.stderr.isTTY === true);
  if (!terminal) {
    write(`pcx ${o.verb}: not asking without a terminal: pass --yes to go ahead, or --dry-run to only print the plan\n`);
    return 'refused';
  }
  const ask = o.ask ?? ((p: string) => askLine(p));
  if (o.typeToConfirm !== undefined) {
    const answer = await ask(`${o.question ?? 'Go ahead?'} Type the cluster name '${o.typeToConfirm}' to confirm: `);
    if (answer?.trim() === o.typeToConfirm) return 'go';
    write(`pcx ${o.verb}: not confirmed (the name did not match); nothing was changed\n`);
    return 'refused';
  }
  const answer = (await ask(`${o.question ?? 'Go ahead?'} [y/N] `))?.trim().toLowerCase();
  if (answer === 'y' || answer === 'yes') return 'go';
  write(`pcx ${o.verb}: not confirmed; nothing was changed\n`);
  return 'refused';
}
