/**
 * Output formats for `pcx lint`, independent of the language linted:
 *  - text: `file:line:col: severity code message`, 1-based like compilers, so editors and CI link it;
 *  - json: one object per file with 0-based LSP ranges (what the extension uses);
 *  - sarif: SARIF 2.1.0 for code-scanning uploads (1-based regions, rules with help text).
 */
import type { Diagnostic, RuleInfo, Severity } from './types';

export interface FileReport {
  /** Path as the user gave it (SARIF turns it into a relative URI). */
  readonly file: string;
  /** `corosync`, later `crm`. */
  readonly language: string;
  readonly diagnostics: readonly Diagnostic[];
}

export function formatText(reports: readonly FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const d of r.diagnostics) {
      lines.push(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export function summarize(reports: readonly FileReport[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of reports) for (const d of r.diagnostics) counts[d.severity]++;
  return counts;
}

export function formatJson(reports: readonly FileReport[]): string {
  return JSON.stringify(
    {
      files: reports.map((r) => ({
        file: r.file,
        language: r.language,
        diagnostics: r.diagnostics.map((d) => ({
          range: d.range,
          severity: d.severity,
          code: d.code,
          message: d.message,
          source: d.source,
          fixes: (d.fixes ?? []).map((f) => ({ title: f.title, edits: f.edits })),
        })),
      })),
      summary: summarize(reports),
    },
    null,
    2,
  ) + '\n';
}

const sarifLevel: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function toUri(file: string): string {
  const rel = file.replace(/\\/g, '/').replace(/^\.\//, '');
  return rel.split('/').map(encodeURIComponent).join('/');
}

/** SARIF 2.1.0 log with one run; `rules` documents every rule that may appear. */
export function formatSarif(reports: readonly FileReport[], rules: readonly RuleInfo[], toolVersion: string): string {
  const index = new Map(rules.map((r, i) => [r.code, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pcx lint',
            version: toolVersion,
            informationUri: 'https://example.invalid/pacemaker-cluster-explorer',
            rules: rules.map((r) => ({
              id: r.code,
              shortDescription: { text: r.summary },
              fullDescription: { text: `${r.summary}${r.versions ? ` (${r.versions})` : ''} Source: ${r.reference}.` },
              defaultConfiguration: { level: sarifLevel[r.severity] },
              properties: { reference: r.reference, ...(r.versions ? { versions: r.versions } : {}) },
            })),
          },
        },
        results: reports.flatMap((r) =>
          r.diagnostics.map((d) => ({
            ruleId: d.code,
            ...(index.has(d.code) ? { ruleIndex: index.get(d.code) } : {}),
            level: sarifLevel[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: toUri(r.file) },
                  region: {
                    startLine: d.range.start.line + 1,
                    startColumn: d.range.start.character + 1,
                    endLine: d.range.end.line + 1,
                    endColumn: d.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
