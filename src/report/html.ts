/**
 * The weekly exposure report as one HTML document that is both the body of the Monday email
 * (Outlook desktop, Outlook on the web, phones) and a standalone file opened in a browser.
 *
 * Email rules apply throughout (see html-kit.ts): tables and inline styles only, no script, no
 * images or other external resources; the only URLs are links to apps in the Entra admin center.
 * Lists are capped so a large tenant's report stays far under Graph sendMail's 4 MB request.
 *
 * Reading order is the order of a Monday morning: what needs action now, whether the data can be
 * trusted, the numbers, then the detail (docs/report.md, "Reading order").
 */
import { blastRadiusRows } from './html-blast-radius.js';
import { alertRows, changeRows, conformityRows, networkRows } from './html-activity.js';
import { actionNowRows } from './html-action.js';
import { hygieneRows } from './html-hygiene.js';
import { CONTENT_WIDTH, FONT, text } from './html-kit.js';
import { allowlistRows, footerRows, healthRows, recommendationRows } from './html-posture.js';
import { exposureRows, headerRows, incompleteBanner, summaryRows } from './html-summary.js';
import type { WeeklyReport } from './types.js';

/**
 * Lets a long unbroken name wrap instead of widening the table. Both properties are inherited, so
 * one declaration covers every cell; `anywhere` is the one that also shrinks a table column's
 * minimum width. Outlook desktop ignores it, which is why names are truncated as well.
 */
const WRAP = 'word-break:break-word;overflow-wrap:anywhere;';

/** True when every source was read completely this week; only then may an empty list say "none". */
export function collectionComplete(report: WeeklyReport): boolean {
  return report.health.length > 0 && report.health.every((h) => h.status === 'complete');
}

/** The report's `<title>` and a sensible email subject. */
export function reportTitle(report: WeeklyReport): string {
  return `credwatch weekly exposure report — ${text(report.tenant, 60)} — ${text(report.week, 20)}`;
}

/** Renders the whole report. Every model value is cleaned and escaped; the model is not trusted. */
export function renderReportHtml(report: WeeklyReport): string {
  const complete = collectionComplete(report);
  const rows = [
    ...headerRows(report),
    ...actionNowRows(report, complete),
    ...incompleteBanner(report.health),
    ...summaryRows(report),
    ...exposureRows(report, complete),
    ...hygieneRows(report, complete),
    ...conformityRows(report, complete),
    ...networkRows(report, complete),
    ...alertRows(report, complete),
    ...blastRadiusRows(report, complete),
    ...changeRows(report, complete),
    ...allowlistRows(report, complete),
    ...healthRows(report),
    ...recommendationRows(report, complete),
    ...footerRows(report),
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${reportTitle(report)}</title></head>`,
    '<body style="margin:0;padding:0;background-color:#F3F2F1;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#F3F2F1" style="background-color:#F3F2F1;"><tr><td align="center" style="padding:16px 4px;">',
    // Outlook desktop ignores max-width: it gets a fixed-width table around the fluid one.
    `<!--[if mso]><table role="presentation" width="${CONTENT_WIDTH}" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#FFFFFF" style="width:100%;max-width:${CONTENT_WIDTH}px;background-color:#FFFFFF;border:1px solid #E1DFDD;${FONT}${WRAP}">`,
    ...rows,
    '</table>',
    '<!--[if mso]></td></tr></table><![endif]-->',
    '</td></tr></table></body></html>',
    '',
  ].join('\n');
}
