import type { SuppressionConfig } from '../config/types.js';
import type { Finding } from '../events.js';

export interface SuppressionMatch {
  active: SuppressionConfig | undefined;
  /** A suppression that would match but has expired: reported, and no longer silencing. */
  expired: SuppressionConfig | undefined;
}

function matches(s: SuppressionConfig, f: Finding): boolean {
  if (s.rule !== f.ruleId) return false;
  if (s.appId !== undefined && s.appId.toLowerCase() !== f.appId.toLowerCase()) return false;
  if (s.network !== undefined && s.network !== f.network) return false;
  if (s.credentialKeyId !== undefined && s.credentialKeyId.toLowerCase() !== (f.credentialKeyId ?? '').toLowerCase()) return false;
  return true;
}

/** The suppression that applies to a finding now, and any expired one that used to. */
export function findSuppression(finding: Finding, suppressions: readonly SuppressionConfig[], now: Date): SuppressionMatch {
  let active: SuppressionConfig | undefined;
  let expired: SuppressionConfig | undefined;
  for (const s of suppressions) {
    if (!matches(s, finding)) continue;
    if (s.expires.getTime() >= now.getTime()) active ??= s;
    else expired ??= s;
  }
  return { active, expired };
}
