/**
 * pcx lint FILE… — check corosync.conf files (crm files later) like a compiler would.
 * Exit codes: 0 no errors (warnings allowed), 1 at least one error, 2 usage error or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { lintLanguages, languageById, languageForFile } from '../../core/lint/languages';
import type { FileReport } from '../../core/lint/output';
import { formatJson, formatSarif, formatText, summarize } from '../../core/lint/output';

declare const PCX_VERSION: string | undefined;

const help = `usage: pcx lint [options] FILE…

Checks corosync.conf files. Files named corosync.conf or *.corosync.conf are recognised;
use --lang for other names.

options:
  --format text|json|sarif   output format (default text: file:line:col: severity code message)
  --lang corosync            language of every FILE, whatever its name
  --disable CODE[,CODE…]     turn rules off (repeatable), e.g. corosync/transport-deprecated
  --corosync-version 2|3     Corosync generation the files target (default: guessed per file, else 3)
  --list-rules               print every rule with its severity and exit
  -h, --help                 this help

In a file, "# pcx-disable-next-line CODE" silences CODE on the next line.
Exit status: 0 no errors, 1 errors found, 2 bad usage or unreadable file.`;

interface Parsed {
  files: string[];
  format: 'text' | 'json' | 'sarif';
  lang?: string;
  disabled: string[];
  corosyncVersion?: 2 | 3;
  listRules: boolean;
}

function fail(message: string): never {
  throw new UsageError(message);
}

class UsageError extends Error {}

function parseArgs(args: string[]): Parsed | 'help' {
  const p: Parsed = { files: [], format: 'text', disabled: [], listRules: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    switch (name) {
      case '-h':
      case '--help':
        return 'help';
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') fail(`unknown format '${f}' (use text, json or sarif)`);
        p.format = f;
        break;
      }
      case '--lang': {
        const l = value();
        if (!languageById(l)) fail(`unknown language '${l}' (known: ${lintLanguages.map((x) => x.id).join(', ')})`);
        p.lang = l;
        break;
      }
      case '--disable':
        p.disabled.push(...value().split(',').map((s) => s.trim()).filter(Boolean));
        break;
      case '--corosync-version': {
        const v = value();
        if (v !== '2' && v !== '3') fail(`--corosync-version must be 2 or 3, not '${v}'`);
        p.corosyncVersion = v === '2' ? 2 : 3;
        break;
      }
      case '--list-rules':
        p.listRules = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') fail(`unknown option '${a}'`);
        p.files.push(a);
    }
  }
  return p;
}

function readError(file: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
  return `pcx lint: cannot read ${file}: ${why}`;
}

export async function run(args: string[]): Promise<number> {
  let parsed: Parsed | 'help';
  try {
    parsed = parseArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`pcx lint: ${e.message}\n  → pcx lint --help for usage\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(help + '\n');
    return 0;
  }
  if (parsed.listRules) {
    for (const lang of parsed.lang ? [languageById(parsed.lang)!] : lintLanguages) {
      for (const r of lang.rules) process.stdout.write(`${r.code.padEnd(48)} ${r.severity.padEnd(11)} ${r.summary}${r.versions ? ` [${r.versions}]` : ''}\n`);
    }
    return 0;
  }
  if (parsed.files.length === 0) {
    process.stderr.write('pcx lint: no files given\n  → pcx lint corosync.conf  (or pcx lint --help)\n');
    return 2;
  }

  const reports: FileReport[] = [];
  let unreadable = false;
  for (const file of parsed.files) {
    const lang = parsed.lang ? languageById(parsed.lang) : languageForFile(basename(file));
    if (!lang) {
      process.stderr.write(`pcx lint: ${file}: cannot tell the language from the name\n  → name it corosync.conf or *.corosync.conf, or pass --lang corosync\n`);
      unreadable = true;
      continue;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(readError(file, e) + '\n');
      unreadable = true;
      continue;
    }
    reports.push({ file, language: lang.id, diagnostics: lang.lint(text, { disabledRules: parsed.disabled, corosyncVersion: parsed.corosyncVersion }) });
  }

  const version = typeof PCX_VERSION === 'string' ? PCX_VERSION : 'dev';
  if (parsed.format === 'json') process.stdout.write(formatJson(reports));
  else if (parsed.format === 'sarif') process.stdout.write(formatSarif(reports, lintLanguages.flatMap((l) => l.rules), version));
  else {
    process.stdout.write(formatText(reports));
    const s = summarize(reports);
    if (reports.length > 0) {
      process.stderr.write(`${reports.length} file(s): ${s.error} error(s), ${s.warning} warning(s), ${s.information + s.hint} note(s)\n`);
    }
  }
  if (unreadable) return 2;
  return summarize(reports).error > 0 ? 1 : 0;
}
