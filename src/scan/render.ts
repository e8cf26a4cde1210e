import { safeText } from '../render/text.js';
import { describeBacklog } from './backlog.js';
import type { ScanSummary } from './types.js';

/** The summary `credwatch scan` prints per tenant: what was read, found, sent, and what failed. */
export function renderScanSummary(s: ScanSummary): string {
  const f = s.findings;
  const lag = Object.entries(s.watermarkLagInMinutes)
    .map(([k, v]) => `${k} ${v === undefined ? 'never committed' : `${v} min`}`)
    .join(', ');
  const lines = [
    `Scan of ${s.tenant}: ${((s.finishedAt.getTime() - s.startedAt.getTime()) / 1000).toFixed(1)} s, ${s.graphRequests} Graph requests`,
    `  Events:    ${s.events.signIns} sign-ins (${s.events.newSignIns} new), ${s.events.audits} audits (${s.events.newAudits} new)${s.events.quarantined > 0 ? `, ${s.events.quarantined} quarantined` : ''}`,
    `  Findings:  critical ${f.critical}, high ${f.high}, medium ${f.medium}, low ${f.low}, informational ${f.informational}${s.suppressed > 0 ? ` (${s.suppressed} suppressed)` : ''}`,
    `  Alerts:    ${s.alerts.raised} raised (${s.alerts.new} new, ${s.alerts.updated} updated), ${s.alerts.notifications} notifications queued`,
    `  Delivery:  ${s.delivery.sent} sent, ${s.delivery.retrying} retrying, ${s.delivery.failed} failed`,
    `  Watermark: ${lag || 'n/a'}`,
  ];
  const b = s.blastRadius;
  if (b !== undefined && b.opened + b.polled + b.pending > 0) {
    lines.push(
      `  Blast radius: ${b.opened === 1 ? '1 query' : `${b.opened} queries`} opened, ${b.polled} polled; alerts: ${b.known} known, ${b.unknown} unknown, ${b.pending} pending`,
    );
  }
  const backlog = s.backlog.signIns;
  if (backlog !== undefined && backlog.minutes > 0) lines.push(`  Backlog:   ${describeBacklog(backlog)}${backlog.growing ? ' — GROWING' : ''}`);
  for (const e of s.delivery.errors.slice(0, 5)) lines.push(`  ! delivery to ${e.channel}: ${e.code} ${safeText(e.message, 160)}`);
  for (const x of s.expiredSuppressions) lines.push(`  ! suppression expired, no longer applied: ${safeText(x, 200)}`);
  for (const r of s.ruleErrors) lines.push(`  ! rule ${r.ruleId} failed ${r.count} time(s): ${safeText(r.lastError, 160)}`);
  for (const x of s.sources.filter((src) => src.status === 'complete' && src.message !== undefined)) {
    lines.push(`  ! ${safeText(x.source, 100)}: ${safeText(x.message ?? '', 400)}`);
  }
  const unknown = s.sources.filter((x) => x.status !== 'complete' && x.status !== 'skipped');
  if (unknown.length > 0) {
    lines.push('  NOT COLLECTED OR DEGRADED — unknown, not clean:');
    for (const x of unknown)
      lines.push(`    ${safeText(x.source, 100)}: ${x.status}${x.errorCode ? ` (${x.errorCode})` : ''}${x.message ? ` ${safeText(x.message, 160)}` : ''}`);
  }
  for (const e of s.errors.filter((x) => !s.sources.some((src) => src.source === x.stage && src.errorCode === x.code))) {
    lines.push(`  ! ${e.stage}: ${e.code} ${safeText(e.message, 200)}`);
  }
  return lines.join('\n');
}
