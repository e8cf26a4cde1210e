/**
 * What the weekly report (src/report/html-kit.ts, html-activity.ts) still imports from here: the
 * email palette and the untrusted-text cleaning, which now live in email-html.ts and src/present/.
 * The alert email itself is built from the alert view (src/present/alert-view.ts).
 */
export { APP_NAME_MAX, untrusted } from '../../present/text.js';
export { SEVERITY_STYLE } from './email-html.js';
