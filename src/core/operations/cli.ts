/** Each request as the `pcx` command that does the same, shown in previews and logs so it can be repeated. */
import { quoteArgv } from '../util/shellQuote';
import { SURFACES } from './surface';
import type { OperationRequest } from './types';

export function cliArgv(req: OperationRequest): string[] {
  return SURFACES[req.kind].cli(req);
}

export function cliEquivalent(req: OperationRequest): string {
  return quoteArgv(cliArgv(req));
}
