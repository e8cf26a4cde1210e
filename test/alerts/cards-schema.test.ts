/**
 * Every card credwatch sends, checked against the official Adaptive Cards 1.4 JSON schema
 * (test/fixtures/adaptivecards/README.md says where it comes from) with a JSON-schema validator,
 * instead of a hand-written list of the fields we think matter.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import * as formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { everyCard } from './card-fixtures.js';
import { elements, markdownTexts, MARKDOWN_SYNTAX } from './card-reading.js';

type Schema = { definitions: Record<string, { properties: Record<string, unknown> }> } & Record<string, unknown>;

const schema = JSON.parse(readFileSync(new URL('../fixtures/adaptivecards/adaptive-card-1.4.json', import.meta.url), 'utf8')) as Schema;
// Draft-06 names the schema `$id`; the file still spells it the draft-04 way, which Ajv refuses.
schema['$id'] = schema['id'];
delete schema['id'];
// The one host key credwatch sets that the schema does not know: Teams' full-width cards
// (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format, "Full width Adaptive Card").
schema.definitions['AdaptiveCard']!.properties['msteams'] = {
  type: 'object',
  properties: { width: { enum: ['Full'] } },
  required: ['width'],
  additionalProperties: false,
};

function validator() {
  // The schema is draft-06 and carries documentation keywords (`version`, `id`) Ajv's strict mode refuses.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as object);
  (formats.default as unknown as (a: Ajv) => void)(ajv);
  return ajv.compile(schema);
}

describe('cards against the Adaptive Cards 1.4 schema', () => {
  const validate = validator();

  it('finds problems in a card that breaks the schema (the check itself works)', () => {
    expect(validate({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock' }] })).toBe(false);
    expect(validate({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'x', wrap: true }] }] })).toBe(
      false,
    );
    expect(validate({ type: 'AdaptiveCard', version: '1.4', msteams: { width: 'Half' }, body: [] })).toBe(false);
  });

  it.each(everyCard())('accepts the $name card', ({ card }) => {
    const valid = validate(card);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(everyCard())('writes the $name card without anything Teams would read as Markdown', ({ card }) => {
    // Values are TextRuns; TextBlocks (Markdown in Teams) carry only credwatch's plain words.
    for (const text of markdownTexts(card)) expect(text, text).not.toMatch(MARKDOWN_SYNTAX);
    expect(elements(card).some((e) => e.type === 'FactSet')).toBe(false);
  });
});
