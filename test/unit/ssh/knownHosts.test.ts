// known_hosts parsing and host-key verdicts, checked against what OpenSSH's own ssh-keygen writes and prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendKnownHost,
  checkHostKey,
  fingerprintSha256,
  hostFieldMatches,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  readKnownHosts,
} from '../../../src/core/ssh/knownHosts';
import { hostKeyAlgorithmOrder } from '../../../src/core/ssh/connection';
import { PcxFailure } from '../../../src/core/util/result';

const haveKeygen = existsSync('/usr/bin/ssh-keygen');
const dir = mkdtempSync(join(tmpdir(), 'pcx-kh-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function newKey(name: string, type = 'ed25519'): { blob: Buffer; line: string; file: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file], { stdio: 'ignore' });
  const line = readFileSync(`${file}.pub`, 'utf8').trim();
  return { blob: Buffer.from(line.split(' ')[1], 'base64'), line, file };
}

test('fingerprint matches ssh-keygen -lf (SHA256, no padding)', { skip: !haveKeygen && 'ssh-keygen absent' }, () => {
  for (const type of ['ed25519', 'rsa', 'ecdsa']) {
    const k = newKey(`fp_${type}`, type);
    const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${k.file}.pub`], { encoding: 'utf8' }).split(' ')[1];
    assert.equal(fingerprintSha256(k.blob), printed);
    assert.doesNotMatch(fingerprintSha256(k.blob), /=$/);
  }
});

test('key type comes from the blob', { skip: !haveKeygen && 'ssh-keygen absent' }, () => {
  assert.equal(keyTypeOf(newKey('t_ed').blob), 'ssh-ed25519');
  assert.equal(keyTypeOf(newKey('t_rsa', 'rsa').blob), 'ssh-rsa');
  assert.equal(keyTypeOf(newKey('t_ec', 'ecdsa').blob), 'ecdsa-sha2-nistp256');
  assert.equal(keyTypeOf(Buffer.from([0, 0])), 'unknown');
});

test('names: port 22 plain, other ports [host]:port, lower-cased', () => {
  assert.equal(knownHostsName('Node1', 22), 'node1');
  assert.equal(knownHostsName('10.0.0.1', 2222), '[10.0.0.1]:2222');
});

test('host patterns: lists, wildcards, negation, bracketed ports', () => {
  assert.ok(hostFieldMatches('node1,10.0.0.1', '10.0.0.1'));
  assert.ok(hostFieldMatches('*.example.com', 'db.example.com'));
  assert.ok(hostFieldMatches('node?', 'node2'));
  assert.ok(!hostFieldMatches('node?', 'node10'));
  assert.ok(!hostFieldMatches('*.example.com,!bad.example.com', 'bad.example.com'));
  assert.ok(hostFieldMatches('[10.0.0.1]:2222', '[10.0.0.1]:2222'));
  assert.ok(!hostFieldMatches('[10.0.0.1]:2222', '10.0.0.1'));
  assert.ok(!hostFieldMatches('10.0.0.1', '[10.0.0.1]:2222'));
});

test('hashed entries written by ssh-keygen -H are matched (and ours are read by ssh-keygen -F)', { skip: !haveKeygen && 'ssh-keygen absent' }, () => {
  const k = newKey('hashed');
  const file = join(dir, 'known_hosts_hashed');
  writeFileSync(file, `node1 ${k.line.split(' ').slice(0, 2).join(' ')}\n[10.0.0.5]:2222 ${k.line.split(' ').slice(0, 2).join(' ')}\n`);
  execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^\|1\|/m);
  assert.doesNotMatch(text, /node1/);
  const entries = parseKnownHosts(text, file);
  assert.equal(checkHostKey(entries, 'node1', 22, k.blob).kind, 'known');
  assert.equal(checkHostKey(entries, '10.0.0.5', 2222, k.blob).kind, 'known');
  assert.equal(checkHostKey(entries, 'node2', 22, k.blob).kind, 'unknown');

  const ours = join(dir, 'known_hosts_ours');
  writeFileSync(ours, `${knownHostsLine('10.9.9.9', 2200, k.blob, true)}\n`);
  const found = execFileSync('ssh-keygen', ['-F', '[10.9.9.9]:2200', '-f', ours], { encoding: 'utf8' });
  assert.match(found, /Host \[10\.9\.9\.9\]:2200 found/);
});

test('verdicts: known, changed (same type, other key), unknown (other type), revoked', { skip: !haveKeygen && 'ssh-keygen absent' }, () => {
  const good = newKey('v_good');
  const evil = newKey('v_evil');
  const rsa = newKey('v_rsa', 'rsa');
  const b64 = (k: { blob: Buffer }) => k.blob.toString('base64');
  const text = [
    '# comment',
    '',
    `node1,10.0.0.1 ssh-ed25519 ${b64(good)} root@node1`,
    `node2 ssh-rsa ${b64(rsa)}`,
    `@revoked * ssh-ed25519 ${b64(evil)}`,
    'garbage line',
    `@cert-authority *.corp ssh-ed25519 ${b64(good)}`,
  ].join('\n');
  const entries = parseKnownHosts(text, '/kh');
  assert.equal(entries.length, 4);

  const known = checkHostKey(entries, '10.0.0.1', 22, good.blob);
  assert.equal(known.kind, 'known');

  const other = newKey('v_other');
  const changed = checkHostKey(entries, 'node1', 22, other.blob);
  assert.equal(changed.kind, 'changed');
  assert.equal(changed.kind === 'changed' && changed.entries[0].line, 3);

  const unknownType = checkHostKey(entries, 'node2', 22, other.blob);
  assert.deepEqual(unknownType, { kind: 'unknown', otherTypes: ['ssh-rsa'], hasCertAuthority: false });

  const revoked = checkHostKey(entries, 'anything', 22, evil.blob);
  assert.equal(revoked.kind, 'revoked');

  const ca = checkHostKey(entries, 'x.corp', 22, other.blob);
  assert.equal(ca.kind === 'unknown' && ca.hasCertAuthority, true);

  assert.deepEqual(knownKeyTypes(entries, 'node2', 22), ['ssh-rsa']);
  assert.deepEqual(hostKeyAlgorithmOrder(['ssh-rsa']).slice(0, 3), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  assert.equal(hostKeyAlgorithmOrder(['ssh-rsa']).length, 7);
});

test('a different key on a non-default port is "unknown", not "changed", for the plain name', { skip: !haveKeygen && 'ssh-keygen absent' }, () => {
  const a = newKey('p_a');
  const b = newKey('p_b');
  const entries = parseKnownHosts(`10.0.0.1 ssh-ed25519 ${a.blob.toString('base64')}\n`, '/kh');
  assert.equal(checkHostKey(entries, '10.0.0.1', 2222, b.blob).kind, 'unknown');
});

test('appendKnownHost creates the file 0600, adds a missing newline, and the result verifies', { skip: !haveKeygen && 'ssh-keygen absent' }, () => {
  const k = newKey('append');
  const file = join(dir, 'sub', 'known_hosts');
  appendKnownHost(file, '10.0.0.7', 22, k.blob);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  writeFileSync(file, readFileSync(file, 'utf8').trimEnd()); // no trailing newline
  appendKnownHost(file, '10.0.0.8', 2222, k.blob, true);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 2);
  const entries = readKnownHosts([file, join(dir, 'does-not-exist')]);
  assert.equal(checkHostKey(entries, '10.0.0.7', 22, k.blob).kind, 'known');
  assert.equal(checkHostKey(entries, '10.0.0.8', 2222, k.blob).kind, 'known');
});

test('readKnownHosts: a known_hosts that exists but cannot be read is a failure with a fix, not a raw EISDIR', () => {
  const notAFile = mkdtempSync(join(dir, 'khdir-'));
  assert.throws(
    () => readKnownHosts([notAFile]),
    (e: unknown) => e instanceof PcxFailure && e.code === 'known-hosts-unreadable' && e.message.includes(notAFile) && /directory/.test(e.message) && !!e.hint?.includes('--known-hosts'),
  );
});
