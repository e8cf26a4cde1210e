import { describe, expect, it } from 'vitest';
import { TEAMS_MAX_MESSAGE_BYTES } from '../../src/alerts/channels/teams-adaptive.js';
import { renderReportHtml } from '../../src/report/html.js';
import { renderTeamsSummary } from '../../src/report/teams-summary.js';
import type { WeeklyReport } from '../../src/report/types.js';
import { allTexts, elements, markdownTexts, MARKDOWN_SYNTAX, type Json } from '../alerts/card-reading.js';
import { firstReport, hostileReport, HOSTILE_NAMES, largeReport, realisticReport } from './html-fixtures.js';

/** Every element and attribute the renderer is meant to emit; anything else came from the data. */
const TAGS = new Set(['html', 'head', 'meta', 'title', 'body', 'h1', 'h2', 'h3', 'table', 'tr', 'td', 'th', 'a', 'span', 'b', 'br']);
const ATTRIBUTES = new Set([
  'lang',
  'http-equiv',
  'content',
  'name',
  'style',
  'role',
  'width',
  'cellpadding',
  'cellspacing',
  'border',
  'bgcolor',
  'align',
  'valign',
  'colspan',
  'scope',
  'href',
]);
/** The only comments: Outlook desktop's fixed-width table around the fluid column, opened and closed. */
const MSO_COMMENTS = [
  '<!--[if mso]><table role="presentation" width="720" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->',
  '<!--[if mso]></td></tr></table><![endif]-->',
];
const TAG = /<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

interface Tag {
  name: string;
  attributes: Map<string, string>;
}

/** A small tokenizer, enough to prove that every `<` in the document starts a tag we emit. */
function tags(html: string): Tag[] {
  let body = html.replace(/^<!DOCTYPE html>\n/, '');
  for (const comment of MSO_COMMENTS) {
    expect(body.split(comment).length - 1, comment).toBe(1);
    body = body.replace(comment, '');
  }
  const found = [...body.matchAll(TAG)].map((m) => ({
    name: (m[2] ?? '').toLowerCase(),
    attributes: new Map([...(m[3] ?? '').matchAll(/\s([^\s=]+)(?:="([^"]*)")?/g)].map((a) => [(a[1] ?? '').toLowerCase(), a[2] ?? ''])),
  }));
  // Each "<" is accounted for by a tag: none is left over as raw markup inside text.
  expect(body.split('<').length - 1).toBe(found.length);
  return found;
}

function expectOnlyOurMarkup(html: string): void {
  for (const tag of tags(html)) {
    expect(TAGS, `unexpected <${tag.name}>`).toContain(tag.name);
    for (const [name, value] of tag.attributes) {
      expect(ATTRIBUTES, `unexpected ${name}= on <${tag.name}>`).toContain(name);
      if (name === 'href') expect(value).toMatch(/^https:\/\/entra\.microsoft\.com\//);
    }
  }
}

function unescape(html: string): string {
  return html.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e] ?? '');
}
/** The HTML of the summary row whose label is `label`. */
function summaryRow(html: string, label: string): string {
  const row = html.split('<tr>').find((r) => r.startsWith(`<td valign="top" style="padding:6px 8px;border-bottom:1px solid #EDEBE9;">${label}</td>`));
  expect(row, label).toBeDefined();
  return row ?? '';
}

describe('weekly report HTML', () => {
  const html = renderReportHtml(realisticReport());

  it('is one UTF-8 document with tables and inline styles only: no script, style sheet, class or external resource', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">')).toBe(true);
    expectOnlyOurMarkup(html);
    expect(html).not.toMatch(/<script|<style|<link|<img|<svg|<iframe|\bclass=|\bsrc=|url\(|@import|javascript:/i);
    expect(html).not.toContain('http://');
    expect(html).toContain('width="720"');
    expect(html.match(/href="/g)?.length).toBeGreaterThan(5);
  });

  it('puts the sections in reading order', () => {
    const order = [
      'Needs action now',
      'Summary',
      'Exposure ranking',
      'Credential hygiene',
      'Sign-in conformity',
      'Top unexpected networks',
      'Alerts of the week',
      'Changes since last week',
      'Apps without an allowlist',
      'Stale allowlists',
      'Data collection health',
      'Recommendations',
    ];
    const positions = order.map((title) => html.indexOf(`<h2 style="margin:0;font-size:18px;line-height:24px;font-weight:bold;color:#201F1E;">${title}`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("names who owns each app without an allowlist, and claims full coverage only for vendors' and own apps alike", () => {
    expect(html).toMatch(/Dynamics Mail Tracking<\/a>.*?<\/td><td valign="top" style="[^"]*">this tenant<\/td>/);
    const covered = renderReportHtml({ ...realisticReport(), appsWithoutAllowlist: [], health: [] });
    expect(covered).not.toContain('Every mailbox-capable app has an allowlist');
    expect(
      renderReportHtml({
        ...realisticReport(),
        appsWithoutAllowlist: [],
        health: realisticReport().health.map((h) => ({ ...h, status: 'complete' as const })),
      }),
    ).toContain('Every mailbox-capable app of a vendor or of this tenant has an allowlist');
  });

  it("leads with what needs action now: the week's critical and high alerts with app, time and Entra link, then the NOW recommendations", () => {
    const top = html.slice(0, html.indexOf('>Summary</h2>'));
    expect(top).toContain('>Needs action now</h2>');
    expect(top).toContain('CRITICAL</span> <b>Vendor certificate used outside the vendor&#39;s networks</b>');
    expect(top).toContain('When: 2026-11-26 10:00 UTC to 2026-11-26 10:42 UTC · 37 events');
    expect(top).toMatch(/App: <a href="https:\/\/entra\.microsoft\.com\/[^"]*aaaaaaaa-0000-4000-8000-000000000001"/);
    expect(top).toContain('<b>Do now:</b>');
    expect(top).not.toContain('Blast radius');
    const withRadius = realisticReport();
    withRadius.alerts = withRadius.alerts.map((a) => ({ ...a, blastRadius: 'every mailbox, through full_access_as_app' }));
    expect(renderReportHtml(withRadius)).toContain('Blast radius: every mailbox, through full_access_as_app');
  });

  it('shows week-over-week deltas with arrows and spells the score out', () => {
    expect(summaryRow(html, 'Sign-ins outside allowlists')).toContain('▲ +37');
    expect(summaryRow(html, 'Apps without an allowlist')).toContain('▼ −1');
    expect(summaryRow(html, 'Client secrets')).toContain('no change');
    expect(html).toContain(
      'mailbox reach <b>40</b></span> <span style="font-size:12px;line-height:16px;color:#605E5C;">(full_access_as_app on all mailboxes)</span> + ',
    );
  });

  it('shows a value that was not collected as unknown, never 0 or none', () => {
    const row = summaryRow(html, 'Unused privileged credentials');
    expect(row.match(/unknown\*/g)).toHaveLength(3);
    expect(row).not.toMatch(/>0</);
    expect(html).toContain('* unknown: the source was not collected that week');
    expect(html).toContain('UNKNOWN: not collected.</span> credwatch does not read when a credential was last used yet');
    expect(html).toContain('Data collection was incomplete this week for directoryAudits, allowlist:Mimecast.');
    expect(html).toContain('FAILED — UNKNOWN');
  });

  it('does not call an empty list clean when collection was incomplete', () => {
    const report = realisticReport();
    report.hygiene.expired = [];
    expect(renderReportHtml(report)).toContain('None found in the data that was collected, but collection was incomplete this week');
    report.health = report.health.map((h) => ({ ...h, status: 'complete' }));
    const complete = renderReportHtml(report);
    expect(complete).not.toContain('collection was incomplete');
    expect(complete).toContain('None this week.');
    report.health = [];
    expect(renderReportHtml(report)).toContain('UNKNOWN: no collection was recorded this week.');
  });

  it('says "first report" instead of an empty comparison, and unknown when the comparison is impossible', () => {
    const first = renderReportHtml(firstReport());
    expect(first).toContain('First report — no comparison with last week yet.');
    expect(first).toContain('there is no earlier report to compare with');
    expect(summaryRow(first, 'Certificates')).toMatch(/<b>12<\/b>.*unknown\*.*unknown\*/);
    const noInventory: WeeklyReport = { ...realisticReport(), changes: null, changesStatus: 'noInventory' };
    expect(renderReportHtml(noInventory)).toContain('no inventory was collected this week, so what changed cannot be shown');
  });

  it('draws sign-in conformity as table-cell bars: green allowed, red unexpected, grey unchecked', () => {
    for (const color of ['#107C10', '#A4262C', '#A19F9D']) expect(html).toContain(`bgcolor="${color}" style="width:`);
    expect(html).toContain('Thu 11-26');
    expect(html).toMatch(/377<\/span> · <b style="color:#A4262C;">29<\/b> · /);
  });

  it('draws the app charts on one scale, most unexpected sign-ins first, so one unchecked sign-in a day stays a sliver', () => {
    const day = (d: string, allowed: number, unexpected: number, unchecked: number) => ({ day: d, allowed, unexpected, unchecked });
    const report = realisticReport();
    report.conformity.apps = [
      { appId: 'quiet', displayName: 'Quiet Tool', days: [day('2026-11-23', 0, 0, 1)] },
      { appId: 'busy', displayName: 'Busy Vendor', days: [day('2026-11-23', 1000, 0, 0)] },
      { appId: 'odd', displayName: 'Odd Vendor', days: [day('2026-11-23', 10, 3, 0)] },
    ];
    const out = renderReportHtml(report);
    const charts = out.slice(out.indexOf('>Sign-in conformity</h2>'), out.indexOf('>Top unexpected networks</h2>'));
    const titles = [...charts.matchAll(/<h3 style="[^"]*">([^<]+) <span/g)].map((m) => m[1]);
    expect(titles).toEqual(['All apps', 'Odd Vendor', 'Quiet Tool', 'Busy Vendor']);
    const barOf = (name: string) => /<table role="presentation" width="(\d+)%"/.exec(out.slice(out.indexOf(`>${name} <span`)))?.[1];
    expect(barOf('Busy Vendor')).toBe('100');
    expect(barOf('Quiet Tool')).toBe('2');
  });

  it("shows each alert's delivery, a failure with its error", () => {
    expect(html).toContain('failed 1</b><br><span style="font-size:12px;line-height:16px;color:#605E5C;">Teams workflow answered 403 Forbidden</span>');
    expect(html).toContain('pending 1');
    expect(html).toContain('suppressed');
  });

  it("ties recommendations to the items they are about, and never prints an allowlist feed's token", () => {
    expect(html).toContain('About: critical alert “Vendor certificate used outside the vendor&#39;s networks” on Mimecast Archiver');
    expect(html).toContain('About: Mimecast (url:feeds.example)');
    expect(html).toContain('About: secret of Contoso Mail Sync');
    expect(html).not.toContain('FEEDTOKEN');
  });

  it.each(HOSTILE_NAMES.map((name) => [JSON.stringify(name.slice(0, 40)), name]))('escapes the hostile name %s everywhere', (_label, name) => {
    const hostile = renderReportHtml(hostileReport(name));
    expectOnlyOurMarkup(hostile);
    expect(hostile).not.toMatch(/<(img|script|svg|a href="https:\/\/evil)/i);
    // Controls and bidi overrides are made visible, so a name cannot forge a line or reverse text.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point.
    expect(hostile).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    // Bare URLs are defanged so Outlook does not turn them into links.
    expect(hostile).not.toContain('https://evil');
    // 5,000-character names are cut: app names to 80 code points, free text to a few hundred.
    const linkTexts = [...hostile.matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => unescape(m[1] ?? ''));
    expect(linkTexts.length).toBeGreaterThan(10);
    // 80, plus the few characters defanging adds after the cut (`https://` → `hxxps[:]//`).
    for (const t of linkTexts) expect(Array.from(t).length).toBeLessThanOrEqual(84);
    expect(hostile).not.toMatch(/A{601}/);
    expect(hostile).not.toContain('{{DATE(2026-01-01T00:00:00Z)}}'.repeat(2));
  });

  it("keeps a 2,000-app tenant far under Graph sendMail's limit by capping every list", () => {
    const large = renderReportHtml(largeReport(2_000));
    expect(Buffer.byteLength(large, 'utf8')).toBeLessThan(1.5 * 1024 * 1024);
    expectOnlyOurMarkup(large);
    expect(large).toContain('… and 1,980 more (see the CSV)');
    expect(large).toContain('… and 1,975 more (see the CSV)');
    expect(large).toContain('… and 1,950 more (see the CSV)');
    expect(large).toContain('… and 1,985 more apps (see the JSON report)');
  });
});

describe('weekly Teams summary', () => {
  it('is an Adaptive Card 1.4 in a Workflows envelope with the headline numbers, top 3 apps, alert counts and health problems', () => {
    const message = renderTeamsSummary(realisticReport());
    expect(message.type).toBe('message');
    const card = message.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    const texts = allTexts(card as unknown as Json);
    for (const line of [
      'credwatch weekly exposure report · 2026-W48 · contoso.onmicrosoft.com',
      'Alerts this week: 1 critical, 2 high, 4 in total',
      'Sign-ins outside allowlists: 37 (▲ +37)',
      'Apps without an allowlist: 3 (▼ −1)',
      'Unused privileged credentials: unknown (not collected)',
      // Names and permissions read as written: no Markdown bold markers, no backslash escapes.
      'Mimecast Archiver · score 90 · full_access_as_app',
      'Veeam Backup for M365 · score 70 · full_access_as_app, Exchange.ManageAsApp',
      'Contoso Mail Sync · score 65 · Mail.ReadWrite, Mail.Send',
      'Data collection problems (2): directoryAudits partial; allowlist:Mimecast UNKNOWN (failed). Findings from these sources are unknown, not clean.',
    ])
      expect(texts).toContain(line);
    expect(texts.join('\n')).not.toContain('Zendesk');
    expect(card.actions[0]?.url).toMatch(/^https:\/\/entra\.microsoft\.com\/.*aaaaaaaa-0000-4000-8000-000000000001$/);
  });

  it('sets app names and metric values in bold runs', () => {
    const runs = elements(renderTeamsSummary(realisticReport()).attachments[0].content as unknown as Json).filter((e) => e.type === 'TextRun');
    expect(runs).toContainEqual({ type: 'TextRun', text: 'Mimecast Archiver', weight: 'bolder' });
    expect(runs).toContainEqual({ type: 'TextRun', text: '37 (▲ +37)', weight: 'bolder' });
  });

  it('links the top app only by a real app id', () => {
    const report = realisticReport();
    report.exposure = report.exposure.map((e) => ({ ...e, appId: `${e.appId}/../../evil?x=${'A'.repeat(5_000)}` }));
    expect(renderTeamsSummary(report).attachments[0].content.actions).toEqual([]);
  });

  it.each([
    ['realistic', realisticReport()],
    ['2,000 apps', largeReport(2_000)],
    ...HOSTILE_NAMES.map((name): [string, WeeklyReport] => [`hostile ${JSON.stringify(name.slice(0, 30))}`, hostileReport(name)]),
  ])("stays under Teams' 28 KB with names in text runs and no Markdown anywhere Teams reads it (%s)", (_label, report) => {
    const message = renderTeamsSummary(report);
    const card = message.attachments[0].content as unknown as Json;
    expect(Buffer.byteLength(JSON.stringify(message), 'utf8')).toBeLessThan(TEAMS_MAX_MESSAGE_BYTES);
    for (const text of markdownTexts(card)) expect(text, text).not.toMatch(MARKDOWN_SYNTAX);
    expect(elements(card).some((e) => e.type === 'FactSet')).toBe(false);
    for (const text of allTexts(card)) {
      expect(text).not.toContain('https://evil');
      expect(text).not.toContain('\\');
    }
  });

  it('shows a hostile app name as the text it is, URLs defanged', () => {
    const texts = allTexts(renderTeamsSummary(hostileReport('[click](https://evil.example) <img src=x>')).attachments[0].content as unknown as Json);
    expect(texts.filter((t) => t.startsWith('[click](hxxps[:]//evil.example) <img src=x> · score '))).toHaveLength(3);
    expect(texts).toContain('[click](hxxps[:]//evil.example) <img src=x>: 37 (▲ +37)');
  });
});
