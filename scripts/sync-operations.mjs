// Writes package.json's operation commands and their tree-menu entries from the operation table
// (src/core/operations/surface.ts): `node --import tsx scripts/sync-operations.mjs`. Only the one-line
// `{"command": "pacemaker.op.…"}` entries are replaced, where they stand; everything else is left as written.
// test/unit/operations/surface.test.ts fails when package.json and the table differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { operationContributions } from '../src/core/operations/contributions.ts';

const path = new URL('../package.json', import.meta.url);
const text = readFileSync(path, 'utf8');
const { commands, menus } = operationContributions();
const isOpLine = (l) => /^\s*\{"command": "pacemaker\.op\./.test(l);

/** Replaces the run of operation lines that follows `anchor` with `entries`, one JSON object per line. */
function replaceRun(lines, anchor, entries) {
  const start = lines.findIndex((l, i) => isOpLine(l) && lines.slice(0, i).some((p) => p.includes(anchor)));
  if (start < 0) throw new Error(`no operation entries after ${anchor} in package.json`);
  let end = start;
  while (end < lines.length && isOpLine(lines[end])) end++;
  const indent = lines[start].match(/^\s*/)[0];
  const trailingComma = lines[end - 1].trimEnd().endsWith(',');
  const out = entries.map((e, i) => `${indent}${JSON.stringify(e).replace(/":/g, '": ').replace(/,"/g, ', "')}${i < entries.length - 1 || trailingComma ? ',' : ''}`);
  return [...lines.slice(0, start), ...out, ...lines.slice(end)];
}

let lines = text.split('\n');
lines = replaceRun(lines, '"commands": [', commands);
lines = replaceRun(lines, '"view/item/context": [', menus);
writeFileSync(path, lines.join('\n'));
console.log(`package.json: ${commands.length} operation commands, ${menus.length} menu entries`);
