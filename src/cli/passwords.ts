/**
 * The workload view for pcx: where a Redis password comes from. `REDISCLI_AUTH` (the variable redis-cli itself
 * reads) first; else, on a terminal, pcx asks without echo once Redis refuses. The password stays in memory
 * for this run and goes only to Redis (AUTH); it is never printed, logged or written.
 */
import type { PasswordSource } from '../core/workload/read';
import { readHidden } from './terminal';

export const PASSWORD_ENV = 'REDISCLI_AUTH';

export function terminalPasswords(env: NodeJS.ProcessEnv = process.env, tty = process.stdin.isTTY === true): PasswordSource {
  const fromEnv = env[PASSWORD_ENV] || undefined;
  return {
    get: () => fromEnv,
    ask: tty
      ? ({ service, node, wrong }) =>
          readHidden(`${wrong ? `${service.label} refused the password. ` : ''}${service.label} on ${node} asks for a password (requirepass): `, process.stdin, process.stderr)
      : undefined,
    hint: fromEnv
      ? `the password in ${PASSWORD_ENV} was refused: set the right one (export ${PASSWORD_ENV}=…; read -rs ${PASSWORD_ENV} keeps it out of your shell history), or run pcx on a terminal without it to be asked`
      : `give the password in the ${PASSWORD_ENV} environment variable (read -rs ${PASSWORD_ENV}; export ${PASSWORD_ENV}), or run pcx on a terminal, where it asks without echo`,
  };
}
