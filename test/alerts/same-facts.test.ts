/**
 * One alert reads the same in every channel (src/present/alert-view.ts): the same facts, in the
 * same order, with the same values, whether Teams, the email, its text attachment or stdout.
 */
import { describe, expect, it } from 'vitest';
import { buildAlertMail } from '../../src/alerts/channels/email.js';
import { createStdoutChannel } from '../../src/alerts/channels/stdout.js';
import { renderAlertMessage } from '../../src/alerts/channels/teams-card.js';
import { alertView } from '../../src/present/alert-view.js';
import { alert } from './card-fixtures.js';
import { elements, factOf, type Json } from './card-reading.js';

const a = alert({ notification: 9, count: 9, update: { ips: ['203.0.113.9'], asns: [], resources: [], firstSuccess: true } });
const view = alertView(a);

describe('the same facts in every channel', () => {
  it('Teams shows each fact of the view, in its order, with its value', () => {
    const card = renderAlertMessage(a).attachments[0].content as unknown as Json;
    const labels = elements(card)
      .filter((e) => e.type === 'TextBlock' && e.size === 'small')
      .map((e) => e.text);
    expect(labels).toEqual(view.facts.map((f) => f.label));
    for (const f of view.facts) expect(factOf(card, f.label)).toBe(f.value);
  });

  it('the email, its attachment and stdout show them in the same order, times as 2026-11-26 10:00 UTC', async () => {
    const mail = buildAlertMail(a, ['soc@contoso.com']).message;
    const html = mail.body.content;
    const attachment = Buffer.from(mail.attachments[0]!.contentBytes, 'base64').toString('utf8');
    let printed = '';
    await createStdoutChannel({ name: 'out', minSeverity: 'low', write: (t) => (printed += t) }).send(a);
    expect(attachment.replace(/^\ufeff/, '')).toBe(printed.replace(/\n$/, ''));
    const positions = (text: string) => view.facts.map((f) => text.indexOf(f.label));
    for (const text of [html, printed]) {
      const at = positions(text);
      expect(at.every((n) => n >= 0)).toBe(true);
      expect([...at].sort((x, y) => x - y)).toEqual(at);
    }
    expect(printed).toContain('2026-11-26 10:00 UTC');
    expect(html).toContain('2026-11-26 10:00 UTC');
  });
});
