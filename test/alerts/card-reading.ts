/**
 * Reading a card the way Teams shows it: TextBlocks (Markdown in Teams), TextRuns (shown as is)
 * and facts, which credwatch lays out as a label TextBlock above a RichTextBlock value.
 */
export type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every element of the card body, depth first. */
export function elements(card: Json): Json[] {
  const out: Json[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    out.push(node);
    walk(node.items);
    walk(node.columns);
    walk(node.inlines);
  };
  walk(card.body);
  return out;
}

/** Text Teams reads as Markdown: TextBlock text, Fact titles and values, and the fallback text. */
export function markdownTexts(card: Json): string[] {
  const out = typeof card.fallbackText === 'string' ? [card.fallbackText] : [];
  for (const e of elements(card)) {
    if (e.type === 'TextBlock') out.push(String(e.text));
    if (e.type === 'FactSet') for (const f of e.facts as Json[]) out.push(String(f.title), String(f.value));
  }
  return out;
}

/** Each RichTextBlock's text (its runs joined), in order. */
export function richTexts(card: Json): string[] {
  return elements(card)
    .filter((e) => e.type === 'RichTextBlock')
    .map((e) => (e.inlines as Json[]).map((r) => String(r.text)).join(''));
}

/** Every piece of text on the card, in order (TextBlocks and rich text alike). */
export function allTexts(card: Json): string[] {
  return elements(card).flatMap((e) =>
    e.type === 'TextBlock' ? [String(e.text)] : e.type === 'RichTextBlock' ? [(e.inlines as Json[]).map((r) => String(r.text)).join('')] : [],
  );
}

/** The value of the fact labelled `label`, if the card has one (a Container: the label's TextBlock, then the value's runs). */
export function factOf(card: Json, label: string): string | undefined {
  for (const e of elements(card)) {
    const [name, value] = (e.type === 'Container' ? e.items : []) as Json[];
    if (name?.type !== 'TextBlock' || name.text !== label || value?.type !== 'RichTextBlock') continue;
    return (value.inlines as Json[]).map((r) => String(r.text)).join('');
  }
  return undefined;
}

/** Characters that start Markdown syntax Teams would interpret (emphasis, links, HTML, code, tables, headings, templates). */
export const MARKDOWN_SYNTAX = /[\\`*_[\]<>#~|]|\{\{|&[a-z#0-9]+;|^\s*(?:[-+]|\d+\.)\s/i;
