/**
 * HTML for alert email that Outlook renders as intended. Outlook desktop draws HTML with Word's
 * engine, so the layout is nested tables with inline styles and fixed widths: no `<style>` block,
 * no CSS classes, no script, no web fonts and no remote images (blocked by default, and a tracking
 * pixel has no place in a security alert). The only URL is the https link to the Entra admin center.
 */
import { roundNote, SEVERITY_STYLE, type AlertView } from './email-view.js';

const FONT = "font-family:'Segoe UI',Arial,sans-serif;font-size:14px;line-height:20px;color:#201F1E;";
const CELL = 'padding:6px 8px;border-bottom:1px solid #EDEBE9;vertical-align:top;';
const HEADING = 'padding:16px 16px 4px 16px;font-size:16px;font-weight:bold;color:#201F1E;';

/** Escapes the five characters that matter in element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function page(title: string, rows: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#F3F2F1;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#F3F2F1;"><tr><td align="center" style="padding:16px;">',
    `<table role="presentation" width="680" cellpadding="0" cellspacing="0" border="0" style="width:680px;max-width:680px;background-color:#FFFFFF;border:1px solid #E1DFDD;${FONT}">`,
    ...rows,
    '<tr><td style="padding:16px;font-size:12px;line-height:16px;color:#605E5C;">Sent by credwatch. The text attachment carries the same content for ticketing systems.</td></tr>',
    '</table></td></tr></table></body></html>',
  ].join('\n');
}

function headerBar(view: Pick<AlertView, 'severity'>, text: string): string {
  const style = SEVERITY_STYLE[view.severity];
  return `<tr><td style="background-color:${style.background};color:${style.text};padding:12px 16px;font-size:18px;line-height:24px;font-weight:bold;">${text}</td></tr>`;
}

function button(url: string, label: string): string {
  // A table cell carries the colour because Outlook desktop ignores padding and background on <a>.
  return [
    '<tr><td style="padding:16px;"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>',
    `<td style="background-color:#0078D4;padding:10px 18px;"><a href="${escapeHtml(url)}" style="color:#FFFFFF;text-decoration:none;font-weight:bold;">${escapeHtml(label)}</a></td>`,
    '</tr></table></td></tr>',
  ].join('');
}

/** One alert: header bar, what happened, why it matters, what to do, and the Entra link. */
export function renderAlertHtml(view: AlertView): string {
  const facts = view.facts
    .map(
      ([label, value]) =>
        `<tr><td width="150" style="${CELL}width:150px;color:#605E5C;">${escapeHtml(label)}</td><td style="${CELL}word-break:break-all;">${escapeHtml(value)}</td></tr>`,
    )
    .join('\n');
  const steps = view.steps.map((s) => `<li style="margin:0 0 6px 0;">${escapeHtml(s)}</li>`).join('');
  const rows = [
    headerBar(view, `${escapeHtml(view.severityLabel)}: ${escapeHtml(view.title)}${escapeHtml(roundNote(view))}`),
    `<tr><td style="padding:16px 16px 0 16px;font-size:15px;">${escapeHtml(view.headline)}</td></tr>`,
    `<tr><td style="${HEADING}">What happened</td></tr>`,
    `<tr><td style="padding:0 16px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${FONT}">\n${facts}\n</table></td></tr>`,
    `<tr><td style="${HEADING}">Why it matters</td></tr>`,
    `<tr><td style="padding:0 16px;">${escapeHtml(view.why)}</td></tr>`,
  ];
  if (view.steps.length > 0) {
    rows.push(
      `<tr><td style="${HEADING}">What to do</td></tr>`,
      `<tr><td style="padding:0 16px;"><ol style="margin:0;padding:0 0 0 24px;">${steps}</ol></td></tr>`,
    );
  }
  if (view.entraUrl) rows.push(button(view.entraUrl, 'Open the app in the Entra admin center'));
  return page(`${view.severityLabel}: ${view.title}`, rows);
}

/** Many alerts in one message: a table, most severe first, each row linking to its app. */
export function renderDigestHtml(views: readonly AlertView[], omitted: number): string {
  const first = views[0];
  const head = (label: string) => `<td style="${CELL}font-weight:bold;background-color:#FAF9F8;">${label}</td>`;
  const rows = views.map((v) => {
    const sev = SEVERITY_STYLE[v.severity];
    const app = v.entraUrl ? `<a href="${escapeHtml(v.entraUrl)}" style="color:#0078D4;">${escapeHtml(v.appName)}</a>` : escapeHtml(v.appName);
    return [
      '<tr>',
      `<td style="${CELL}"><span style="background-color:${sev.background};color:${sev.text};padding:1px 6px;font-weight:bold;">${escapeHtml(v.severityLabel)}</span></td>`,
      `<td style="${CELL}">${escapeHtml(v.title)}</td>`,
      `<td style="${CELL}word-break:break-all;">${app}</td>`,
      `<td style="${CELL}text-align:right;">${v.count}</td>`,
      `<td style="${CELL}white-space:nowrap;">${escapeHtml(v.lastSeen)}</td>`,
      '</tr>',
    ].join('');
  });
  const total = views.length + omitted;
  const body = [
    headerBar(first ?? { severity: 'informational' }, `${total} credwatch alert${total === 1 ? '' : 's'}`),
    '<tr><td style="padding:16px 16px 8px 16px;">Many alerts were due at once, so they arrive as one summary. Each app name opens the app in the Entra admin center; the attachment lists the same alerts as text.</td></tr>',
    `<tr><td style="padding:0 16px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${FONT}">`,
    `<tr>${head('Severity')}${head('Rule')}${head('App')}${head('Events')}${head('Last seen')}</tr>`,
    ...rows,
    '</table></td></tr>',
  ];
  if (omitted > 0)
    body.push(
      `<tr><td style="padding:8px 16px;">${omitted} more alert${omitted === 1 ? ' is' : 's are'} not shown here; the attached alert.txt lists every alert.</td></tr>`,
    );
  return page(`${total} credwatch alerts`, body);
}
