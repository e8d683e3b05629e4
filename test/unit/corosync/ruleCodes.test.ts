// Rule codes are a type derived from the rule table: a misspelt code is a compile error, not a run-time throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..', '..');

/** Type-checks one in-memory module placed in src/core/corosync and returns its own diagnostics. */
function typeCheck(source: string): string[] {
  const file = join(root, 'src', 'core', 'corosync', '__rule_code_probe__.ts');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, types: ['node'] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => `${d.start !== undefined ? d.file?.getLineAndCharacterOfPosition(d.start).line : '?'}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

test('a misspelt rule code fails to compile, in a report() call and in a schema entry; real codes compile', () => {
  const errors = typeCheck(
    [
      "import type { CorosyncRuleCode } from './ruleTable';",
      "import type { Ctx } from './ruleContext';",
      "import type { KeySpec } from './schema';",
      "export const good: CorosyncRuleCode = 'corosync/two-node-missing';",
      "export const typo: CorosyncRuleCode = 'corosync/tow-node-missing';",
      "export function check(ctx: Ctx): void { ctx.report('corosync/two-node-wait-for-al', { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, 'x'); }",
      "export const spec: KeySpec = { doc: '', type: 'enum', enumRule: 'corosync/loging-value' };",
    ].join('\n'),
  );
  assert.deepEqual(
    errors.map((e) => e.replace(/ TS\d+ .*/, '')),
    ['4:', '5:', '6:'],
    `one error on each misspelt line, none on the good one:\n${errors.join('\n')}`,
  );
  assert.match(errors[0] ?? '', /tow-node-missing/);
});
