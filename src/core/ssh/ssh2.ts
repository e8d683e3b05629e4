/**
 * ssh2, loaded on the first connection rather than at startup: it is the largest part of what the extension
 * and pcx run, and editing a crm or corosync file, or `pcx lint`, never connects. In the bundles it is a file
 * of its own (dist/vendor/ssh2.js, see scripts/build.mjs), so it is not even read until then.
 */
import type * as Ssh2 from 'ssh2';

let ssh2: typeof Ssh2 | undefined;

export function loadSsh2(): typeof Ssh2 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (ssh2 ??= require('ssh2') as typeof Ssh2);
}
