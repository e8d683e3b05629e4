// The persistent shell's framing (src/core/ssh/shellFrame.ts): the reader on crafted streams, and the written
// script against the real local /bin/sh and bash (no sshd needed).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { FrameReader, frameCommand, newMarker, printfFormatFor, statusFromTrailer, withNodeTimeout } from '../../../src/core/ssh/shellFrame';
import { quoteArgv } from '../../../src/core/util/shellQuote';

/** Feed `data` to a reader in pieces cut at `cuts`; returns the reader. */
function feed(marker: string, data: Buffer, cuts: number[]): FrameReader {
  const reader = new FrameReader(marker);
  let last = 0;
  for (const c of [...new Set(cuts)].filter((c) => c > 0 && c < data.length).sort((a, b) => a - b)) {
    reader.push(data.subarray(last, c));
    last = c;
  }
  reader.push(data.subarray(last));
  return reader;
}

/** Bytes that look like framing: other markers, marker prefixes, trailers. */
const lookalike = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  fc.constantFrom('=PCX', '=', ':0\n', ':255\n', '\n', "s=$?; printf '%s:%s\\n'", '=PCX=PCX').map((s) => Buffer.from(s)),
  fc.constant(null).map(() => Buffer.from(`${newMarker()}:0\n`)),
  fc.integer({ min: 1, max: 35 }).map((n) => Buffer.from(newMarker().slice(0, n))),
);
const lookalikeBytes = fc.array(lookalike, { maxLength: 8 }).map((parts) => Buffer.concat(parts));

describe('FrameReader', () => {
  test('property: the body is exactly the bytes before the marker, however the stream is cut (marker look-alikes included)', () => {
    fc.assert(
      fc.property(lookalikeBytes, fc.array(fc.nat({ max: 200 }), { maxLength: 6 }), fc.integer({ min: 0, max: 255 }), (body, cuts, code) => {
        const marker = newMarker();
        const stream = Buffer.concat([body, Buffer.from(`${marker}:${code}\n`)]);
        const reader = feed(marker, stream, cuts);
        assert.ok(reader.complete);
        assert.ok(reader.body.equals(body));
        assert.equal(statusFromTrailer(reader.trailer), code);
      }),
      { numRuns: 500 },
    );
  });

  test('output ending in a prefix of the marker does not shift the frame', () => {
    const marker = newMarker();
    for (let n = 1; n < marker.length; n++) {
      const body = Buffer.from(`x${marker.slice(0, n)}`);
      const reader = feed(marker, Buffer.concat([body, Buffer.from(`${marker}\n`)]), [body.length]);
      assert.ok(reader.body.equals(body), `prefix of length ${n}`);
      assert.equal(reader.trailer, '');
    }
  });

  test('incomplete until the newline after the marker; bytes after it are ignored', () => {
    const marker = newMarker();
    const reader = new FrameReader(marker);
    assert.equal(reader.push(Buffer.from(`abc${marker}:1`)), false);
    assert.equal(reader.push(Buffer.from('2\nstray')), true);
    assert.equal(reader.body.toString(), 'abc');
    assert.equal(statusFromTrailer(reader.trailer), 12);
  });

  test('statusFromTrailer accepts only :DIGITS', () => {
    assert.equal(statusFromTrailer(':0'), 0);
    assert.equal(statusFromTrailer(':127'), 127);
    for (const bad of ['', ':', '0', ':-1', ':1a', ':1234', ' :1']) assert.equal(statusFromTrailer(bad), undefined, bad);
  });
});

describe('frameCommand', () => {
  test('refuses markers not made by newMarker and non-integer timeouts', () => {
    const line = quoteArgv(['true']);
    assert.throws(() => frameCommand(line, 'x; rm -rf /'), /not a marker/);
    assert.throws(() => frameCommand(line, newMarker(), { timeoutS: 1.5 }), /whole number/);
    assert.throws(() => withNodeTimeout(line, 0), /whole number/);
  });

  test('the script: the command line in a subshell with /dev/null as stdin, then both trailers', () => {
    const m = newMarker();
    assert.equal(frameCommand(quoteArgv(['echo', 'a b']), m), `(echo 'a b') </dev/null; s=$?; printf '%s:%s\\n' ${m} "$s"; printf '%s\\n' ${m} >&2\n`);
    assert.match(frameCommand(quoteArgv(['crm_mon']), m, { timeoutS: 20 }), /^\(timeout -k 2 20 crm_mon\) <\/dev\/null;/);
    assert.match(frameCommand(quoteArgv(['cat']), m, { stdin: Buffer.from('a%\\\'') }), /^printf 'a\\045\\134\\047' \| \(cat\);/);
  });

  for (const shell of ['/bin/sh', '/bin/bash'].filter((s) => existsSync(s))) {
    test(`property: through a real ${shell}, stdin/stdout/stderr bytes and exit codes come back exactly`, async () => {
      const sh = spawn(shell, [], { stdio: ['pipe', 'pipe', 'pipe'] });
      let pending: { out: FrameReader; err: FrameReader; done: () => void } | undefined;
      sh.stdout.on('data', (d: Buffer) => {
        if (pending?.out.push(d) && pending.err.complete) pending.done();
      });
      sh.stderr.on('data', (d: Buffer) => {
        if (pending?.err.push(d) && pending.out.complete) pending.done();
      });
      const run = (argv: string[], stdin?: Buffer) =>
        new Promise<{ out: Buffer; err: Buffer; code: number | undefined }>((resolve) => {
          const marker = newMarker();
          const out = new FrameReader(marker);
          const err = new FrameReader(marker);
          pending = { out, err, done: () => resolve({ out: out.body, err: err.body, code: statusFromTrailer(out.trailer) }) };
          sh.stdin.write(frameCommand(quoteArgv(argv), marker, { stdin }));
        });
      try {
        await fc.assert(
          fc.asyncProperty(lookalikeBytes, lookalikeBytes, fc.integer({ min: 0, max: 255 }), async (toOut, toErr, code) => {
            // stdin goes to stdout via cat, and is also split to stderr: every byte through every path.
            const r = await run(['sh', '-c', 'cat; printf "%b" "$1" >&2; exit "$2"', 'sh', printfEscapes(toErr), String(code)], toOut);
            assert.ok(r.out.equals(toOut), 'stdout');
            assert.ok(r.err.equals(toErr), 'stderr');
            assert.equal(r.code, code);
          }),
          { numRuns: 150 },
        );
        // A builtin cannot change the long-lived shell: `exit` ends only its subshell.
        assert.equal((await run(['exit', '7'])).code, 7);
        assert.equal((await run(['echo', 'still here'])).out.toString(), 'still here\n');
      } finally {
        sh.kill();
      }
    });
  }

  test('printfFormatFor leaves only letters and digits literal', () => {
    assert.equal(printfFormatFor(Buffer.from([0, 0x25, 0x5c, 0x41, 0x31, 0xff, 0x0a])), '\\000\\045\\134A1\\377\\012');
  });
});

/** The test's own encoding for printf %b (\0NNN), independent of printfFormatFor. */
function printfEscapes(b: Buffer): string {
  return [...b].map((x) => `\\0${x.toString(8).padStart(3, '0')}`).join('');
}
