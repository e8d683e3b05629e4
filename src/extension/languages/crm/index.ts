/**
 * crm spec file (`*.crm`) language support: thin VS Code providers over src/core/crm (diagnostics
 * with quick fixes, completion, hover, go to definition, references, rename, outline, folding,
 * formatting). Linting is debounced and skipped when the document changed again meanwhile, so a
 * large spec stays responsive while typing.
 */
import * as vscode from 'vscode';
import { bundledAgents, layeredCatalog } from '../../../core/crm/agents';
import { formatCrm } from '../../../core/crm/format';
import { completeCrm, hoverCrm } from '../../../core/crm/language';
import { lintCrm } from '../../../core/crm/lint';
import { buildModel, type CrmModel } from '../../../core/crm/model';
import { definitionOf, foldingRanges, idAt, referencesOf, renameAt, symbolsCrm, type CrmSymbol } from '../../../core/crm/navigation';
import { parseCrm } from '../../../core/crm/parser';
import type { Diagnostic, Position, Range, Severity } from '../../../core/lint/types';
import type { ClusterAgents } from './clusterAgents';

const LANGUAGE = 'crm';
const selector: vscode.DocumentSelector = { language: LANGUAGE };

const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
const pos = (p: vscode.Position): Position => ({ line: p.line, character: p.character });
const overlaps = (a: Range, b: vscode.Range): boolean => toRange(a).intersection(b) !== undefined;

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const completionKinds: Record<string, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword, agent: vscode.CompletionItemKind.Class, param: vscode.CompletionItemKind.Property,
  meta: vscode.CompletionItemKind.Field, op: vscode.CompletionItemKind.Method, id: vscode.CompletionItemKind.Reference,
  role: vscode.CompletionItemKind.EnumMember, action: vscode.CompletionItemKind.EnumMember, property: vscode.CompletionItemKind.Property,
  node: vscode.CompletionItemKind.Value,
};

const symbolKinds: Record<CrmSymbol['kind'], vscode.SymbolKind> = {
  resource: vscode.SymbolKind.Object, container: vscode.SymbolKind.Namespace, constraint: vscode.SymbolKind.Interface,
  property: vscode.SymbolKind.Property, node: vscode.SymbolKind.Module, other: vscode.SymbolKind.Variable,
};

/** `clusterAgents`: a connected cluster's own agents (its node's meta-data) over the bundled ones, when the explorer has one. */
export function registerCrmLanguage(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, clusterAgents?: ClusterAgents): void {
  const collection = vscode.languages.createDiagnosticCollection(LANGUAGE);
  context.subscriptions.push(collection);
  const latest = new Map<string, Diagnostic[]>();
  /** The last lint's model per document: which cluster and agents the next lint, completion and hover use. */
  const models = new Map<string, CrmModel>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const specCluster = (doc: vscode.TextDocument) => {
    const model = models.get(doc.uri.toString());
    return model && clusterAgents ? clusterAgents.forSpec(model) : {};
  };
  const languageOptions = (doc: vscode.TextDocument) => {
    const c = specCluster(doc);
    return { agents: c.catalog ? layeredCatalog(c.catalog, bundledAgents) : bundledAgents, nodeNames: c.nodeNames };
  };

  const lint = (doc: vscode.TextDocument, version = doc.version): void => {
    if (doc.languageId !== LANGUAGE || doc.version !== version) return; // superseded by a newer edit
    const c = vscode.workspace.getConfiguration('pacemaker.lint', doc.uri);
    if (!c.get<boolean>('enabled', true)) {
      collection.delete(doc.uri);
      latest.delete(doc.uri.toString());
      return;
    }
    try {
      const { diagnostics, model } = lintCrm(doc.getText(), { disabledRules: c.get<string[]>('disabledRules', []), cluster: specCluster(doc).catalog });
      latest.set(doc.uri.toString(), diagnostics);
      models.set(doc.uri.toString(), model);
      clusterAgents?.forSpec(model); // asks the cluster for agents this version names first
      collection.set(doc.uri, diagnostics.map((d) => {
        const v = new vscode.Diagnostic(toRange(d.range), d.message, severities[d.severity]);
        v.code = d.code;
        v.source = d.source;
        return v;
      }));
    } catch (e) {
      log.error(`crm lint failed for ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const lintSoon = (doc: vscode.TextDocument): void => {
    if (doc.languageId !== LANGUAGE) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    // Longer pauses for long files: a keystroke never waits for a full lint.
    const delay = doc.lineCount > 2000 ? 1000 : 300;
    const version = doc.version;
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      lint(doc, version);
    }, delay));
  };

  vscode.workspace.textDocuments.forEach((d) => lint(d));
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => lint(d)),
    vscode.workspace.onDidChangeTextDocument((e) => lintSoon(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      collection.delete(doc.uri);
      latest.delete(doc.uri.toString());
      models.delete(doc.uri.toString());
    }),
    ...(clusterAgents ? [clusterAgents.onDidChange(() => vscode.workspace.textDocuments.forEach((d) => lint(d)))] : []),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pacemaker.lint')) vscode.workspace.textDocuments.forEach((d) => lint(d));
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );

  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(selector, {
      provideCompletionItems(doc, position) {
        return completeCrm(doc.getText(), pos(position), languageOptions(doc)).map((c) => {
          const item = new vscode.CompletionItem({ label: c.label, description: c.detail?.startsWith('required') ? 'required' : undefined }, completionKinds[c.kind]);
          item.detail = c.detail;
          if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
          item.insertText = c.insertText;
          item.range = toRange(c.replace);
          if (c.sortText) item.sortText = c.sortText;
          return item;
        });
      },
    }, ' ', ':'),
    vscode.languages.registerHoverProvider(selector, {
      provideHover(doc, position) {
        const h = hoverCrm(doc.getText(), pos(position), languageOptions(doc));
        return h ? new vscode.Hover(new vscode.MarkdownString(h.markdown), toRange(h.range)) : undefined;
      },
    }),
    vscode.languages.registerDefinitionProvider(selector, {
      provideDefinition(doc, position) {
        const r = definitionOf(doc.getText(), pos(position));
        return r ? new vscode.Location(doc.uri, toRange(r)) : undefined;
      },
    }),
    vscode.languages.registerReferenceProvider(selector, {
      provideReferences(doc, position, ctx) {
        return referencesOf(doc.getText(), pos(position), ctx.includeDeclaration).map((r) => new vscode.Location(doc.uri, toRange(r)));
      },
    }),
    vscode.languages.registerRenameProvider(selector, {
      prepareRename(doc, position) {
        const at = idAt(buildModel(parseCrm(doc.getText())), pos(position));
        if (!at) throw new Error('Put the cursor on a resource, constraint or tag id to rename it.');
        return { range: toRange(at.range), placeholder: at.id };
      },
      provideRenameEdits(doc, position, newName) {
        const r = renameAt(doc.getText(), pos(position), newName);
        if (!r.ok) throw new Error(r.message);
        const edit = new vscode.WorkspaceEdit();
        for (const e of r.edits) edit.replace(doc.uri, toRange(e.range), e.newText);
        return edit;
      },
    }),
    vscode.languages.registerCodeActionsProvider(selector, {
      provideCodeActions(doc, range, ctx) {
        const diags = (latest.get(doc.uri.toString()) ?? []).filter((d) => d.fixes?.length && overlaps(d.range, range));
        return diags.flatMap((d) => d.fixes!.map((fix) => {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          const edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) edit.replace(doc.uri, toRange(e.range), e.newText);
          action.edit = edit;
          action.isPreferred = fix.preferred;
          action.diagnostics = ctx.diagnostics.filter((x) => x.code === d.code && x.range.isEqual(toRange(d.range)));
          return action;
        }));
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerDocumentSymbolProvider(selector, {
      provideDocumentSymbols(doc) {
        const convert = (s: CrmSymbol): vscode.DocumentSymbol => {
          const sym = new vscode.DocumentSymbol(s.name, s.detail, symbolKinds[s.kind], toRange(s.range), toRange(s.selectionRange));
          sym.children = s.children.map(convert);
          return sym;
        };
        return symbolsCrm(doc.getText()).map(convert);
      },
    }),
    vscode.languages.registerFoldingRangeProvider(selector, {
      provideFoldingRanges(doc) {
        return foldingRanges(doc.getText()).map((f) => new vscode.FoldingRange(f.start, f.end, f.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined));
      },
    }),
    vscode.languages.registerDocumentFormattingEditProvider(selector, {
      provideDocumentFormattingEdits(doc) {
        const result = formatCrm(doc.getText());
        if (!result.ok) {
          void vscode.window.setStatusBarMessage(`crm: not formatted — ${result.error.message}`, 5000);
          log.warn(`${doc.uri.fsPath}: ${result.error.message} ${result.error.hint ?? ''}`);
          return [];
        }
        if (result.value === doc.getText()) return [];
        return [vscode.TextEdit.replace(doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0)), result.value)];
      },
    }),
  );
  log.info('crm spec file language support registered');
}
