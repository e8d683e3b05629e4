// pcx status --watch: which lines are marked as changed, and the option rules (no cluster needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markChanges } from '../../../src/cli/commands/statusWatch';
import { parseStatusArgs } from '../../../src/cli/commands/status';

test('markChanges: new or changed lines get "» ", the rest a plain gutter; nothing is marked the first time', () => {
  const before = 'Nodes\n  node1 online\n  node2 online\n\nResources\n  redis Promoted on node1';
  const after = 'Nodes\n  node1 online\n  node2 standby\n\nResources\n  redis Promoted on node1';
  assert.equal(markChanges(undefined, after, false), after.split('\n').map((l) => `  ${l}`).join('\n'));
  assert.deepEqual(
    markChanges(before, after, false).split('\n').filter((l) => l.startsWith('» ')),
    ['»   node2 standby'],
  );
  // A line that appears twice now but once before: one of them is new.
  assert.equal(markChanges('a\nb', 'a\na\nb', false).split('\n').filter((l) => l.startsWith('» ')).length, 1);
  // Colour: reverse video around the line.
  assert.ok(markChanges('a', 'b', true).includes('\x1b[7mb\x1b[27m'));
});

test('--watch needs a live source; --interval needs --watch and a sane number', () => {
  const err = (args: string[]) => {
    const r = parseStatusArgs(args);
    return r.ok ? undefined : r.error.message;
  };
  assert.match(err(['--watch', '--file', 'x.xml']) ?? '', /--watch is for a live cluster/);
  assert.match(err(['--host', 'n1', '--interval', '2']) ?? '', /--interval goes with --watch/);
  assert.match(err(['--host', 'n1', '--watch', '--interval', '0']) ?? '', /0\.25 to 3600/);
  assert.match(err(['--host', 'n1', '--watch', '--interval', 'soon']) ?? '', /0\.25 to 3600/);
  assert.equal(err(['--host', 'n1', '--watch', '--interval', '0.5']), undefined);
  assert.equal(err(['--host', 'n1', '-w']), undefined);
});
