/**
 * corosync.conf language support: thin VS Code providers over the pure functions in
 * src/core/corosync (diagnostics, completion, hover, quick fixes, outline, formatting).
 * Diagnostics refresh on open/change (debounced) and when `pacemaker.lint.*` settings change.
 */
import * as vscode from 'vscode';
import { lintCorosync } from '../../../core/corosync/lint';
import { completeCorosync, fixesAt, hoverCorosync, symbolsCorosync } from '../../../core/corosync/language';
import type { DocumentSymbol } from '../../../core/corosync/language';
import { formatCorosync } from '../../../core/corosync/format';
import type { Diagnostic, Range, Severity } from '../../../core/lint/types';

const LANGUAGE = 'corosync';
const selector: vscode.DocumentSelector = { language: LANGUAGE };

const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
const fromRange = (r: vscode.Range): Range => ({
  start: { line: r.start.line, character: r.start.character },
  end: { line: r.end.line, character: r.end.character },
});

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

interface LintSettings {
  enabled: boolean;
  disabledRules: string[];
  corosyncVersion: 2 | 3 | undefined;
}

function readSettings(resource: vscode.Uri): LintSettings {
  const c = vscode.workspace.getConfiguration('pacemaker.lint', resource);
  const v = c.get<string>('corosyncVersion', 'auto');
  return {
    enabled: c.get<boolean>('enabled', true),
    disabledRules: c.get<string[]>('disabledRules', []),
    corosyncVersion: v === '2' ? 2 : v === '3' ? 3 : undefined,
  };
}

export function registerCorosyncLanguage(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const collection = vscode.languages.createDiagnosticCollection(LANGUAGE);
  context.subscriptions.push(collection);
  // Core diagnostics (with their fixes) per document, for the code action provider.
  const latest = new Map<string, Diagnostic[]>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const lint = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== LANGUAGE) return;
    const key = doc.uri.toString();
    const settings = readSettings(doc.uri);
    if (!settings.enabled) {
      collection.delete(doc.uri);
      latest.delete(key);
      return;
    }
    try {
      const { diagnostics } = lintCorosync(doc.getText(), { disabledRules: settings.disabledRules, generation: settings.corosyncVersion });
      latest.set(key, diagnostics);
      collection.set(
        doc.uri,
        diagnostics.map((d) => {
          const v = new vscode.Diagnostic(toRange(d.range), d.message, severities[d.severity]);
          v.code = d.code;
          v.source = d.source;
          return v;
        }),
      );
    } catch (e) {
      log.error(`corosync lint failed for ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const lintSoon = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => { timers.delete(key); lint(doc); }, 250));
  };

  vscode.workspace.textDocuments.forEach(lint);
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(lint),
    vscode.workspace.onDidChangeTextDocument((e) => lintSoon(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      collection.delete(doc.uri);
      latest.delete(doc.uri.toString());
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pacemaker.lint')) vscode.workspace.textDocuments.forEach(lint);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );

  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        provideCompletionItems(doc, position) {
          return completeCorosync(doc.getText(), { line: position.line, character: position.character }).map((c) => {
            const kind =
              c.kind === 'section' ? vscode.CompletionItemKind.Module : c.kind === 'key' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.EnumMember;
            const item = new vscode.CompletionItem(c.label, kind);
            item.detail = c.detail;
            if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
            item.insertText = new vscode.SnippetString(c.insertSnippet);
            item.range = toRange(c.replace);
            return item;
          });
        },
      },
      ':',
      ' ',
    ),
    vscode.languages.registerHoverProvider(selector, {
      provideHover(doc, position) {
        const h = hoverCorosync(doc.getText(), { line: position.line, character: position.character });
        return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(h.range)) : undefined;
      },
    }),
    vscode.languages.registerCodeActionsProvider(
      selector,
      {
        provideCodeActions(doc, range, context) {
          const diags = latest.get(doc.uri.toString()) ?? [];
          return fixesAt(diags, fromRange(range)).map(({ diagnostic, fix }) => {
            const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
            const edit = new vscode.WorkspaceEdit();
            for (const e of fix.edits) edit.replace(doc.uri, toRange(e.range), e.newText);
            action.edit = edit;
            action.isPreferred = fix.preferred;
            action.diagnostics = context.diagnostics.filter((d) => d.code === diagnostic.code && d.range.isEqual(toRange(diagnostic.range)));
            return action;
          });
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerDocumentSymbolProvider(selector, {
      provideDocumentSymbols(doc) {
        const convert = (s: DocumentSymbol): vscode.DocumentSymbol => {
          const kind = s.kind === 'node' ? vscode.SymbolKind.Object : vscode.SymbolKind.Namespace;
          const sym = new vscode.DocumentSymbol(s.name, s.detail, kind, toRange(s.range), toRange(s.selectionRange));
          sym.children = s.children.map(convert);
          return sym;
        };
        return symbolsCorosync(doc.getText()).map(convert);
      },
    }),
    vscode.languages.registerDocumentFormattingEditProvider(selector, {
      provideDocumentFormattingEdits(doc, options) {
        const indent = options.insertSpaces ? ' '.repeat(options.tabSize) : '\t';
        const result = formatCorosync(doc.getText(), { indent });
        if (!result.ok) {
          void vscode.window.setStatusBarMessage(`corosync.conf: ${result.error.message}`, 5000);
          log.warn(`${doc.uri.fsPath}: ${result.error.message} ${result.error.hint ?? ''}`);
          return [];
        }
        if (result.value === doc.getText()) return [];
        const all = new vscode.Range(0, 0, doc.lineCount, 0);
        return [vscode.TextEdit.replace(doc.validateRange(all), result.value)];
      },
    }),
  );
  log.info('corosync.conf language support registered');
}
