/**
 * corosync.conf formatter in the layout pcs writes (4-space indentation, `key: value`, `name {`,
 * one blank line between top-level sections). Comments stay, re-indented to their depth; runs of
 * blank lines shrink to one; blank lines right inside braces go.
 *
 * It never changes what Corosync reads: keys, values and section names are copied verbatim (Corosync
 * trims the same blanks we drop), which tests check as parse(format(x)) ≡ parse(x). A file with
 * syntax errors is left alone: guessing where a brace belongs could change the meaning.
 */
import type { Result } from '../util/result';
import { err, ok } from '../util/result';
import type { CsNode, CsSection } from './parser';
import { parseCorosync } from './parser';

export interface CorosyncFormatOptions {
  /** One indentation level: four spaces by default (pcs), or a tab (corosync's example file). */
  readonly indent?: string;
}

export function formatCorosync(text: string, options: CorosyncFormatOptions = {}): Result<string> {
  const doc = parseCorosync(text);
  const blocking = doc.problems.filter((p) => p.code !== 'corosync/syntax-line-too-long');
  if (blocking.length > 0) {
    const first = blocking[0];
    return err({
      code: 'corosync.format.syntax',
      message: `Not formatted: line ${first.range.start.line + 1} has a syntax error (${first.code}).`,
      hint: 'Fix the syntax errors first; the formatter does not guess where braces belong.',
    });
  }
  const unit = options.indent ?? '    ';
  const out: string[] = [];

  const emitChildren = (section: CsSection, depth: number): void => {
    const indent = unit.repeat(depth);
    const kids = section.children;
    // Drop blank lines at the start and end of a section body.
    let from = 0;
    let to = kids.length;
    if (depth > 0) {
      while (from < to && kids[from].kind === 'blank') from++;
      while (to > from && kids[to - 1].kind === 'blank') to--;
    }
    let lastWasBlank = false;
    let lastClosedSection = false;
    for (let i = from; i < to; i++) {
      const node: CsNode = kids[i];
      if (node.kind === 'blank') {
        if (!lastWasBlank && out.length > 0) out.push('');
        lastWasBlank = true;
        continue;
      }
      if (depth === 0 && node.kind === 'section' && lastClosedSection && !lastWasBlank) out.push('');
      lastWasBlank = false;
      lastClosedSection = false;
      switch (node.kind) {
        case 'comment':
          out.push(indent + node.text);
          break;
        case 'pair':
          out.push(node.value === '' ? `${indent}${node.key}:` : `${indent}${node.key}: ${node.value}`);
          break;
        case 'invalid':
          out.push(indent + node.text);
          break;
        case 'section':
          out.push(`${indent}${node.name} {`);
          emitChildren(node, depth + 1);
          out.push(`${indent}}`);
          lastClosedSection = true;
          break;
      }
    }
  };

  emitChildren(doc.root, 0);
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return ok(out.length ? out.join(doc.eol) + doc.eol : '');
}
