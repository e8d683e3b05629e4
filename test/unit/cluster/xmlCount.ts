/**
 * An independent XML walk for the corpus tests: a regex tokenizer with a tag stack, sharing no code
 * with the model (which uses fast-xml-parser). Tests count elements by path here and compare with
 * what the model holds, so a parser that silently drops elements fails.
 */

export interface TagEvent {
  /** Names of the enclosing elements, outermost first (not including this one). */
  readonly ancestors: readonly string[];
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>|<\/([A-Za-z_][\w.:-]*)\s*>|<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function walkTags(xml: string): TagEvent[] {
  const events: TagEvent[] = [];
  const stack: string[] = [];
  for (const m of xml.matchAll(TOKEN)) {
    if (m[1]) {
      stack.pop();
      continue;
    }
    if (!m[2]) continue;
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(ATTR)) attrs[a[1]!] = a[2] ?? a[3] ?? '';
    events.push({ ancestors: [...stack], name: m[2], attrs });
    if (m[4] !== '/') stack.push(m[2]);
  }
  return events;
}

/** Count elements named `name` whose ancestors path (joined with "/") matches `under`. */
export function count(events: readonly TagEvent[], name: string, under: RegExp): number {
  return events.filter((e) => e.name === name && under.test(e.ancestors.join('/'))).length;
}
