/**
 * Microsoft's List directoryAudits examples (https://learn.microsoft.com/graph/api/directoryaudit-list)
 * through credwatch's audit normalizer and reader. Neither example is about applications, so both
 * are read and then left out by category; what matters is that they parse, that their values come
 * through, and that leaving them out is accounted for.
 */
import { describe, expect, it } from 'vitest';
import { normalizeAudit, readAuditPages } from '../../src/collect/audits.js';
import type { Json } from '../../src/collect/values.js';
import type { AuditEvent } from '../../src/events.js';
import { examplesIn, onlyRow, example, rows } from './fixtures.js';
import { answerWith, replayGraph } from './replay-graph.js';

const addMember = example('directory-audits/list-example-1-add-member-to-group.json');
const groupPolicies = example('directory-audits/list-example-2-filter-initiated-by.json');

function normalized(row: Json): AuditEvent {
  const result = normalizeAudit(row);
  if ('quarantined' in result) throw new Error(`quarantined: ${result.quarantined}`);
  return result;
}

describe('every directoryAudit example', () => {
  it.each(examplesIn('directory-audits').map(({ path, example: e }) => [path, e] as const))('%s parses into an event with its id and activity', (_path, e) => {
    for (const row of rows(e)) {
      const event = normalized(row);
      expect(event.id).toBe(row.id);
      expect(event.activity).toBe(row.activityDisplayName);
    }
  });
});

describe('example 1: Add member to group', () => {
  const event = normalized(onlyRow(addMember));

  it('reads the placeholder id, the time to the millisecond, the result and the initiating user', () => {
    expect(event.id).toBe('id');
    expect(event.activityAt.toISOString()).toBe('2018-01-09T21:20:02.721Z');
    expect(event.result).toBe('success');
    expect(event.initiatedBy).toEqual({ type: 'user', id: '728309ae-1a37-4937-9afe-e35d964db09b', name: 'bob@wingtiptoysonline.com' });
  });

  it('is an activity credwatch does not judge', () => {
    expect(event.kind).toBe('other');
    expect(event.credentialChanges).toEqual([]);
    expect(event.permissions).toEqual([]);
  });

  it('takes the first target\'s id and name, and no type from the example\'s capitalised "Type"', () => {
    // Graph sends `type`; this example (and the Get directoryAudit page) prints `Type`.
    expect(event.target).toEqual({ id: 'ef7e527d-6c92-4234-8c6d-cf6fdfb57f95', type: undefined, displayName: 'Example.com', appId: undefined });
  });
});

describe('example 2: a self-service group management audit', () => {
  const event = normalized(onlyRow(groupPolicies));

  it('reads a user initiator whose name fields are null as a user without a name', () => {
    expect(event.initiatedBy).toEqual({ type: 'user', id: '00000000-0000-0000-0000-000000000000', name: undefined });
  });

  it('keeps the target type "N/A" as published and the 2024 time', () => {
    expect(event.target.type).toBe('N/A');
    expect(event.activityAt.toISOString()).toBe('2024-12-27T10:01:19.579Z');
    expect(event.id).toBe('SSGM_b662f17a-4e4d-4e1c-9248-cdec180024b2_MCDC4_88453290');
  });
});

describe('the audit reader against the examples', () => {
  it('reads both examples and leaves them out by category, quarantining nothing', async () => {
    const replay = replayGraph({ 'GET /v1.0/auditLogs/directoryAudits': [answerWith(addMember), answerWith(groupPolicies)] });
    const from = new Date('2026-11-26T10:00:00Z');
    const to = new Date('2026-11-26T11:55:00Z');
    const first = [];
    for await (const page of readAuditPages(replay.graph, from, to)) first.push(page);
    const second = [];
    for await (const page of readAuditPages(replay.graph, from, to)) second.push(page);
    for (const pages of [first, second]) {
      expect(pages.map((p) => ({ raw: p.raw, events: p.events.length, quarantined: p.quarantined.length }))).toEqual([{ raw: 1, events: 0, quarantined: 0 }]);
    }
    const query = decodeURIComponent(new URL(replay.requests[0]?.url ?? '').search);
    expect(query).toContain(`activityDateTime ge ${from.toISOString()} and activityDateTime le ${to.toISOString()}`);
  });
});
