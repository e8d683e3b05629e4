// Strings that stress a POSIX shell, shared by the local and the through-sshd quoting property tests.
import fc from 'fast-check';

/** Metacharacters, quotes, newlines, globs, leading dashes, non-ASCII — never NUL (no command line can carry it). */
export const hostileString = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'\'"\\$`!*?[]{}()<>|&;#~ \t\n-=%^'.split('')), maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replace(/\0/g, '')),
  fc.constantFrom('$(id)', '`id`', "'; rm -rf / #", '*', '-n', '--', '-e', '', ' ', '\n', "it's", '"', '\\', 'ü€😀', '$HOME', '${IFS}', '!!'),
);
