import type { Severity } from '../../events.js';
import { safeText } from '../../render/text.js';
import { updateParts } from '../facts.js';
import { escalationOf, updateOf, type AlertPayload } from '../payload.js';
import type { Channel } from './types.js';

/** A readable block per alert; every attacker-controlled string goes through safeText. */
export function formatAlertText(a: AlertPayload): string {
  const where = [a.countries.length > 0 ? a.countries.join(', ') : undefined, a.asns.length > 0 ? a.asns.map((n) => `AS${n}`).join(', ') : undefined]
    .filter(Boolean)
    .join('; ');
  const outcome = a.successCount + a.failureCount > 0 ? ` (${a.successCount} succeeded, ${a.failureCount} failed)` : '';
  const from = escalationOf(a);
  const update = updateOf(a);
  const news = update
    ? updateParts(update)
        .map((p) => [p.label, ...p.values.map((v) => safeText(v, 80))].join(' '))
        .join('; ')
    : undefined;
  const round = from ? ` — escalated from ${from.toUpperCase()}` : news ? ` — update: ${news}` : a.notification > 0 ? ' — still happening' : '';
  const lines = [
    `[${a.severity.toUpperCase()}] ${a.rule.title}${round}`,
    `  ${safeText(a.summary, 200)}`,
    `  App:        ${safeText(a.app.displayName, 80)} (${a.app.appId}), tenant ${safeText(a.tenant, 40)}`,
    `  Count:      ${a.count}${outcome}, first ${a.firstSeen}, last ${a.lastSeen}`,
  ];
  if (a.ips.length > 0) lines.push(`  From:       ${a.ips.map((ip) => safeText(ip, 45)).join(', ')}${where ? ` (${safeText(where, 120)})` : ''}`);
  if (a.resources.length > 0) lines.push(`  Resource:   ${a.resources.map((r) => safeText(r, 60)).join(', ')}`);
  if (a.credentialKeyId) lines.push(`  Credential: ${safeText(a.credentialKeyId, 60)}`);
  if (a.allowlist.length > 0) {
    lines.push(
      `  Allowed:    ${a.allowlist.map((p) => `${p.cidr} (${safeText(p.vendor, 40)}, ${safeText(p.source, 80)}${p.stale ? ', STALE' : ''})`).join('; ')}`,
    );
  }
  lines.push(`  Why:        ${a.rule.description}`);
  a.rule.runbook.forEach((step, i) => lines.push(`  ${i === 0 ? 'Do:' : '   '}         ${i + 1}. ${step}`));
  lines.push(`  Entra:      ${a.app.entraUrl}`, `  Alert id:   ${a.alertId}`, '');
  return lines.join('\n');
}

export function createStdoutChannel(options: { name: string; minSeverity: Severity; write?: (text: string) => void }): Channel {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  return {
    name: options.name,
    type: 'stdout',
    minSeverity: options.minSeverity,
    send: async (alert) => {
      write(`${formatAlertText(alert)}\n`);
    },
  };
}
