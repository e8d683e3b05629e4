// The parser follows coroparse.c: `{` before `:`, `#` only at line start, exact ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCorosync, pairsOf, subsections } from '../../../src/core/corosync/parser';

test('sections, pairs, comments and blank lines with ranges', () => {
  const doc = parseCorosync('# c\ntotem {\n\tversion: 2\n\n\tcluster_name : a b \n}\n');
  assert.deepEqual(doc.problems, []);
  const totem = subsections(doc.root, 'totem')[0];
  assert.equal(totem.path, 'totem');
  assert.equal(totem.closeLine, 5);
  const [v, n] = pairsOf(totem);
  assert.deepEqual([v.key, v.value, n.key, n.value], ['version', '2', 'cluster_name', 'a b']);
  assert.deepEqual(n.keyRange, { start: { line: 4, character: 1 }, end: { line: 4, character: 13 } });
  assert.deepEqual(n.valueRange, { start: { line: 4, character: 16 }, end: { line: 4, character: 19 } });
  assert.deepEqual(doc.root.children.map((c) => c.kind), ['comment', 'section']);
});

test('a value runs to the end of the line: "# x" after a value is part of it', () => {
  const doc = parseCorosync('quorum {\n two_node: 1   # note\n}\n');
  assert.equal(pairsOf(subsections(doc.root)[0])[0].value, '1   # note');
});

test('"{" wins over ":" (like corosync): "totem: {" is a section named totem', () => {
  const doc = parseCorosync('totem: {\n}\n');
  assert.equal(subsections(doc.root)[0].name, 'totem');
});

test('errors are recorded and parsing goes on', () => {
  const doc = parseCorosync('}\ntotem {\n garbage\n x: 1 }\n');
  assert.deepEqual(doc.problems.map((p) => p.code), ['corosync/syntax-unexpected-brace', 'corosync/syntax-invalid-line', 'corosync/syntax-missing-brace']);
  assert.equal(pairsOf(subsections(doc.root)[0])[0].value, '1 }');
  assert.equal(doc.problems[0].range.start.line, 0);
});

test('CRLF files parse like LF files and keep their line ending', () => {
  const doc = parseCorosync('totem {\r\n version: 2\r\n}\r\n');
  assert.equal(doc.eol, '\r\n');
  assert.equal(pairsOf(subsections(doc.root)[0])[0].value, '2');
});

test('never throws, and every range lies inside the text (random input)', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('totem {', '}', 'a: b', '# c', '', '  x:', '{', 'q', ' k : v # z', '\t}'), { maxLength: 30 }), (lines) => {
      const text = lines.join('\n');
      const doc = parseCorosync(text);
      for (const p of doc.problems) {
        assert.ok(p.range.start.line < Math.max(1, doc.lines.length));
        assert.ok(p.range.end.character <= (doc.lines[p.range.end.line] ?? '').length);
      }
    }),
    { numRuns: 300 },
  );
});
