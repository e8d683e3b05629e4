// quoteArgv is THE quoting function: a local POSIX shell must give every argument back unchanged.
// (The same property through the real sshd is in test/unit/ssh/connection.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { quoteArg, quoteArgv } from '../../../src/core/util/shellQuote';
import type { CommandExecutor } from '../../../src/core/remote/runner';
import { hostileString } from './hostileStrings';

/** Run `sh -c <line>` where line prints each argument NUL-terminated, and split the result. */
function roundTrip(args: readonly string[], shell = '/bin/sh'): string[] {
  const out = execFileSync(shell, ['-c', quoteArgv(['printf', '%s\\0', ...args])], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

test('safe words stay bare, everything else is single-quoted', () => {
  assert.equal(quoteArg('crm_mon'), 'crm_mon');
  assert.equal(quoteArg('--output-as=xml'), '--output-as=xml');
  assert.equal(quoteArg('/cib'), '/cib');
  assert.equal(quoteArg(''), "''");
  assert.equal(quoteArg('a b'), "'a b'");
  assert.equal(quoteArg("it's"), "'it'\\''s'");
  assert.equal(quoteArg('$(id)'), "'$(id)'");
  assert.equal(quoteArg('*'), "'*'");
  assert.equal(quoteArgv(['cibadmin', '--xpath', "//nvpair[@name='x']"]), "cibadmin --xpath '//nvpair[@name='\\''x'\\'']'");
});

test('NUL and empty argv are refused', () => {
  assert.throws(() => quoteArg('a\0b'), /NUL/);
  assert.throws(() => quoteArgv([]), /empty/);
});

test('known nasties survive sh and bash unchanged', () => {
  const nasty = ['$(touch /tmp/pcx-pwned)', '`touch /tmp/pcx-pwned`', "a'b", 'a"b', 'a\\b', '*', '~', '-n', 'x\ny', ' lead', 'trail ', 'ü€😀', '${PATH}', '!$', ''];
  assert.deepEqual(roundTrip(nasty), nasty);
  assert.deepEqual(roundTrip(nasty, '/bin/bash'), nasty);
});

test('property: random hostile argv round-trips through /bin/sh byte for byte', () => {
  fc.assert(
    fc.property(fc.array(hostileString, { minLength: 1, maxLength: 6 }), (args) => {
      assert.deepEqual(roundTrip(args), args);
    }),
    { numRuns: 150 },
  );
});

/**
 * Compile-time guard, checked by `npm run check` (never run): an SSH exec channel accepts only quoteArgv's
 * output. If a plain string ever type-checks here, the @ts-expect-error below fails the build.
 */
export function _execTakesOnlyQuotedCommandLines(exec: CommandExecutor['exec'], userInput: string): void {
  // @ts-expect-error a hand-built command line is not a QuotedCommandLine
  void exec(`crm_resource --cleanup -r ${userInput}`);
  void exec(quoteArgv(['crm_resource', '--cleanup', '-r', userInput]));
}
