/**
 * The alert view (src/present/) as HTML that Outlook renders as intended. Outlook desktop draws
 * HTML with Word's engine, so the layout is tables with inline styles: no `<style>` block, no
 * flex or grid, no classes, no script, no web fonts and no remote images (blocked by default,
 * and a tracking pixel has no place in a security alert). The message is fluid (100% wide up to
 * 680 px), with a fixed 680 px table for Outlook desktop only, which ignores max-width (Microsoft
 * Learn, "Outlook: conditional comments"). The only URL is the https link to the Entra admin center.
 */
import type { Severity } from '../../events.js';
import type { AlertView, Fact } from '../../present/alert-view.js';
import type { DigestView } from '../../present/digest-view.js';
import { splitTokens } from '../../present/tokens.js';

/** Header colours that keep contrast (≥ 4.5:1) on Outlook's white and dark backgrounds. */
export const SEVERITY_STYLE: Readonly<Record<Severity, { background: string; text: string }>> = Object.freeze({
  critical: { background: '#A4262C', text: '#FFFFFF' },
  high: { background: '#D83B01', text: '#FFFFFF' },
  medium: { background: '#FFB900', text: '#201F1E' },
  low: { background: '#0078D4', text: '#FFFFFF' },
  informational: { background: '#605E5C', text: '#FFFFFF' },
});

const FONT = "font-family:'Segoe UI',Arial,sans-serif;font-size:14px;line-height:20px;color:#201F1E;";
const HEADING = 'padding:16px 16px 4px 16px;font-size:16px;line-height:22px;font-weight:bold;color:#201F1E;';
// Long words from an attacker (a 80-character app name) may break anywhere; tokens never do (nowrap spans).
const WRAP = 'overflow-wrap:anywhere;word-wrap:break-word;';
const MAX_WIDTH = 680;

/** Escapes the five characters that matter in element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Escaped text whose IPs, GUIDs, hashes and times stay on one line each. */
export function htmlText(value: string): string {
  return splitTokens(value)
    .map((p) => (p.token ? `<span style="white-space:nowrap;">${escapeHtml(p.text)}</span>` : escapeHtml(p.text)))
    .join('');
}

function row(content: string, style = 'padding:0 16px;'): string {
  return `<tr><td style="${style}${WRAP}">${content}</td></tr>`;
}

function page(title: string, rows: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#F3F2F1;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#F3F2F1;"><tr><td align="center" style="padding:8px;">',
    `<!--[if mso]><table role="presentation" width="${MAX_WIDTH}" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:${MAX_WIDTH}px;background-color:#FFFFFF;border:1px solid #E1DFDD;${FONT}">`,
    ...rows,
    row(
      'Sent by credwatch. The text attachment carries the same content for ticketing systems.',
      'padding:16px;font-size:12px;line-height:16px;color:#605E5C;',
    ),
    '</table>',
    '<!--[if mso]></td></tr></table><![endif]-->',
    '</td></tr></table></body></html>',
  ].join('\n');
}

function headerBar(severity: Severity, text: string, subline: string): string {
  const style = SEVERITY_STYLE[severity];
  return [
    `<tr><td style="background-color:${style.background};color:${style.text};padding:12px 16px;${WRAP}">`,
    `<div style="font-size:18px;line-height:24px;font-weight:bold;">${htmlText(text)}</div>`,
    `<div style="font-size:13px;line-height:18px;">${htmlText(subline)}</div>`,
    '</td></tr>',
  ].join('');
}

function button(url: string, label: string): string {
  // A table cell carries the colour because Outlook desktop ignores padding and background on <a>.
  return [
    '<tr><td style="padding:16px;"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>',
    `<td style="background-color:#0078D4;padding:10px 18px;"><a href="${escapeHtml(url)}" style="color:#FFFFFF;text-decoration:none;font-weight:bold;">${escapeHtml(label)}</a></td>`,
    '</tr></table></td></tr>',
  ].join('');
}

/** Label above value: one column reads at 420 px as at 1280 px, and a long IPv6 address keeps the full width. */
function facts(list: readonly Fact[]): string {
  const cells = list.map(
    (f) =>
      `<tr><td style="padding:6px 0;border-bottom:1px solid #EDEBE9;${WRAP}"><div style="font-size:12px;line-height:16px;color:#605E5C;">${escapeHtml(f.label)}</div><div>${htmlText(f.value)}</div></td></tr>`,
  );
  return row(`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${FONT}">\n${cells.join('\n')}\n</table>`);
}

/** One alert: header, the summary line, what happened, why it matters, what to do, and the Entra link. */
export function renderAlertHtml(view: AlertView): string {
  const rows = [
    headerBar(view.severity, view.heading, `credwatch · ${view.status} · tenant ${view.tenant}`),
    row(htmlText(view.summary), 'padding:16px 16px 0 16px;font-size:15px;line-height:21px;font-weight:bold;'),
    row('What happened', HEADING),
    facts(view.facts),
    row('Why it matters', HEADING),
    row(htmlText(view.why)),
  ];
  if (view.mailboxReach) rows.push(row(htmlText(view.mailboxReach), 'padding:8px 16px;background-color:#FDE7E9;font-weight:bold;'));
  rows.push(row('What to do', HEADING));
  if (view.steps.length === 0) rows.push(row('This rule has no runbook. See docs/rules.md.'));
  // Numbered paragraphs, as on the Teams card: a list's indentation narrows every line of a step.
  for (const [i, step] of view.steps.entries()) rows.push(row(htmlText(`${i + 1}. ${step}`), 'padding:0 16px 6px 16px;'));
  if (view.stepsOmitted > 0) rows.push(row(`And ${view.stepsOmitted} more: see this rule in docs/rules.md.`));
  if (view.links.entra) rows.push(button(view.links.entra, 'Open the app in the Entra admin center'));
  return page(view.heading, rows);
}

/** Many alerts in one message: the digest entries, most severe first, each app name linking to its app. */
export function renderDigestHtml(view: DigestView): string {
  const entries = view.entries.map((e) => {
    const sev = SEVERITY_STYLE[e.severity];
    const app = e.entraUrl ? `<a href="${escapeHtml(e.entraUrl)}" style="color:#0078D4;">${htmlText(e.who)}</a>` : htmlText(e.who);
    return row(
      [
        `<div><span style="background-color:${sev.background};color:${sev.text};padding:1px 6px;font-weight:bold;">${escapeHtml(e.severityLabel)}</span> <span style="font-weight:bold;">${htmlText(e.title)}</span></div>`,
        `<div>${app}</div>`,
        `<div style="color:#605E5C;">${htmlText(e.activity)}</div>`,
      ].join(''),
      'padding:8px 16px;border-bottom:1px solid #EDEBE9;',
    );
  });
  const rows = [
    headerBar(view.severity, `credwatch · ${view.heading}`, view.counts),
    row(
      'Many alerts were due at once, so they arrive as one summary. Each app name opens the app in the Entra admin center; the attachment lists the same alerts as text.',
      'padding:16px 16px 8px 16px;',
    ),
    ...entries,
  ];
  if (view.omitted > 0)
    rows.push(
      row(`${view.omitted} more alert${view.omitted === 1 ? ' is' : 's are'} not shown here; the attached alert.txt lists every alert.`, 'padding:8px 16px;'),
    );
  return page(`credwatch · ${view.heading}`, rows);
}
