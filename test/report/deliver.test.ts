import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendMailRequest } from '../../src/alerts/channels/email.js';
import { adaptiveCard, teamsMessage } from '../../src/alerts/channels/teams-adaptive.js';
import { CredwatchError, isCredwatchError } from '../../src/errors.js';
import type { GraphApi } from '../../src/graph/client.js';
import { emptyStats } from '../../src/graph/transport.js';
import { renderFindingsCsv, renderInventoryCsv } from '../../src/report/csv.js';
import { buildReportMail, emailReport, postTeamsSummary, SENDMAIL_MAX_BYTES, type EmailReportOptions } from '../../src/report/deliver.js';
import { buildWeeklyReport } from '../../src/report/model.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { app, cred, FULL_ACCESS, inventory, reportInput } from './model-fixtures.js';

const HTML = '<!DOCTYPE html><html><head><title>r</title></head><body style="margin:0"><p>report</p></body></html>';

/** A Graph client that records what is posted, or fails as told. */
function recordingGraph(fail?: CredwatchError): GraphApi & { posts: Array<{ path: string; body: SendMailRequest }> } {
  const posts: Array<{ path: string; body: SendMailRequest }> = [];
  const unused = () => {
    throw new Error('not used by report delivery');
  };
  return {
    posts,
    stats: emptyStats(),
    get: unused,
    listPages: unused,
    list: unused,
    postJson: unused,
    post: async (path, body) => {
      if (fail) throw fail;
      posts.push({ path, body: body as SendMailRequest });
    },
  };
}

const decode = (a: { contentBytes: string }) => Buffer.from(a.contentBytes, 'base64').toString('utf8');

function options(over: Partial<EmailReportOptions> = {}): EmailReportOptions {
  const report = buildWeeklyReport(reportInput());
  return {
    graph: recordingGraph(),
    fromMailbox: 'credwatch@contoso.com',
    to: ['ciso@contoso.com', 'm365-admins@contoso.com'],
    report,
    html: HTML,
    csvAttachments: [
      { name: 'contoso-2026-W48-inventory.csv', content: renderInventoryCsv(report)!, keepWhenTooLarge: true },
      { name: 'contoso-2026-W48-findings.csv', content: renderFindingsCsv(report) },
    ],
    ...over,
  };
}

/** A CSV of `rows` lines of about 200 bytes each. */
function bigCsv(rows: number): string {
  const lines = ['appId,displayName'];
  for (let i = 0; i < rows; i += 1) lines.push(`${String(i).padStart(8, '0')},${'x'.repeat(190)}`);
  return `${lines.join('\n')}\n`;
}

describe('emailing the report', () => {
  it('sends the HTML from the configured mailbox with both CSVs attached, readable by Excel', async () => {
    const graph = recordingGraph();
    const result = await emailReport(options({ graph }));
    expect(graph.posts).toHaveLength(1);
    const { path, body } = graph.posts[0]!;
    expect(path).toBe('/users/credwatch%40contoso.com/sendMail');
    expect(body.saveToSentItems).toBe(false);
    expect(body.message.subject).toBe('[credwatch] Weekly exposure report: contoso, 2026-W48');
    expect(body.message.body).toEqual({ contentType: 'HTML', content: HTML });
    expect(body.message.toRecipients.map((r) => r.emailAddress.address)).toEqual(['ciso@contoso.com', 'm365-admins@contoso.com']);
    expect(body.message.attachments.map((a) => [a.name, a.contentType])).toEqual([
      ['contoso-2026-W48-inventory.csv', 'text/csv'],
      ['contoso-2026-W48-findings.csv', 'text/csv'],
    ]);
    expect(decode(body.message.attachments[0]!)).toBe(`\ufeff${options().csvAttachments[0]!.content}`);
    expect(result).toEqual({
      attachments: ['contoso-2026-W48-inventory.csv', 'contoso-2026-W48-findings.csv'],
      bytes: Buffer.byteLength(JSON.stringify(body)),
      truncated: false,
    });
  });

  it("stays under Graph's 4 MB for a tenant of 2,000 apps without cutting anything", () => {
    const apps = Array.from({ length: 2000 }, (_, i) =>
      app(`cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}`, `Vendor app ${i}`, {
        ownership: 'thirdParty',
        mailboxPermissions: i % 4 === 0 ? [FULL_ACCESS] : [],
        credentials: [cred(`k${i}a`), cred(`k${i}b`, { kind: 'secret' })],
      }),
    );
    const report = buildWeeklyReport(reportInput({ inventory: inventory(apps) }));
    const { request, truncated } = buildReportMail(
      options({
        report,
        html: HTML + 'x'.repeat(500_000),
        csvAttachments: [
          { name: 'inventory.csv', content: renderInventoryCsv(report)!, keepWhenTooLarge: true },
          { name: 'findings.csv', content: renderFindingsCsv(report) },
        ],
      }),
    );
    expect(truncated).toBe(false);
    expect(Buffer.byteLength(JSON.stringify(request))).toBeLessThanOrEqual(SENDMAIL_MAX_BYTES);
    expect(decode(request.message.attachments[0]!).trimEnd().split('\n')).toHaveLength(1 + 4000);
  });

  it('attaches only the inventory, cut to whole rows, with a note in the body, when everything would exceed 4 MB', () => {
    const inventoryCsv = bigCsv(20_000);
    const { request, truncated } = buildReportMail(
      options({
        csvAttachments: [
          { name: 'findings.csv', content: bigCsv(10) },
          { name: 'inventory.csv', content: inventoryCsv, keepWhenTooLarge: true },
        ],
      }),
    );
    expect(truncated).toBe(true);
    const bytes = Buffer.byteLength(JSON.stringify(request));
    expect(bytes).toBeLessThanOrEqual(SENDMAIL_MAX_BYTES);
    expect(bytes).toBeGreaterThan(SENDMAIL_MAX_BYTES - 2_000);
    expect(request.message.attachments.map((a) => a.name)).toEqual(['inventory.csv']);
    const sent = decode(request.message.attachments[0]!).replace(/^\ufeff/, '');
    const rows = sent.trimEnd().split('\n');
    expect(inventoryCsv.startsWith(sent)).toBe(true);
    expect(rows[0]).toBe('appId,displayName');
    const html = request.message.body.content;
    expect(html).toContain(`only inventory.csv is attached, with the first ${rows.length - 1} of 20000 rows`);
    // The note sits inside the body, where Outlook shows it first.
    expect(html.indexOf('only inventory.csv')).toBeGreaterThan(html.indexOf('<body'));
    expect(html.indexOf('only inventory.csv')).toBeLessThan(html.indexOf('<p>report</p>'));
  });

  it('refuses a body that alone exceeds the limit instead of sending something Graph rejects', () => {
    let error: unknown;
    try {
      buildReportMail(options({ html: 'x'.repeat(SENDMAIL_MAX_BYTES) }));
    } catch (e: unknown) {
      error = e;
    }
    expect(isCredwatchError(error, 'CHANNEL_REJECTED')).toBe(true);
  });

  it('reports a missing Mail.Send permission as a permanent channel rejection with the fix', async () => {
    const graph = recordingGraph(new CredwatchError('GRAPH_PERMISSION_MISSING', 'Mail.Send is not granted'));
    const error = await emailReport(options({ graph })).catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_REJECTED')).toBe(true);
    expect((error as Error).message).toContain('RBAC for Applications');
  });
});

describe('posting the Teams summary', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  const card = adaptiveCard('credwatch weekly report', [{ type: 'TextBlock', text: '3 mailbox-capable apps' }], []);

  it('posts the card in the Workflows envelope, whether given the card or the message', async () => {
    await postTeamsSummary({ url: receiver.url, fetch, now: () => new Date(), card });
    await postTeamsSummary({ url: receiver.url, fetch, now: () => new Date(), card: teamsMessage(card) });
    const [first, second] = receiver.requests.slice(-2);
    expect(JSON.parse(first!.body)).toEqual(teamsMessage(card));
    expect(second!.body).toBe(first!.body);
    expect(first!.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it("refuses a card over Teams' 28 KB limit without posting it", async () => {
    const before = receiver.requests.length;
    const huge = adaptiveCard('x', [{ type: 'TextBlock', text: 'x'.repeat(30 * 1024) }], []);
    const error = await postTeamsSummary({ url: receiver.url, fetch, now: () => new Date(), card: huge }).catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_REJECTED')).toBe(true);
    expect(receiver.requests.length).toBe(before);
  });

  it('reports a refused post without the signed URL', async () => {
    receiver.script.push({ status: 400, body: 'bad card' });
    const url = `${receiver.url}?sig=SIGNATURE`;
    const error = await postTeamsSummary({ url, fetch, now: () => new Date(), card }).catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CHANNEL_REJECTED')).toBe(true);
    expect((error as Error).message).toBe('Teams report summary answered 400: bad card');
    expect((error as Error).message).not.toContain('SIGNATURE');
  });
});
