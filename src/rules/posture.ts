/**
 * The shape every per-credential posture rule shares. Posture inputs arrive once per app per scan,
 * so findings must come out identical each time (same event id, same summary): the alert layer
 * then sees a repeat, not news, until the state actually changes.
 */
import type { Finding, Severity } from '../events.js';
import type { AppAssessment, AssessedCredential } from '../inventory/assess.js';
import { NO_FINDINGS } from './define.js';
import { appFinding, type Details } from './findings.js';
import type { RuleContext } from './types.js';

export interface PostureVerdict {
  severity: Severity;
  summary: string;
  details: Details;
}

/** One finding per credential `verdict` returns something for. */
export function credentialPosture(
  ruleId: string,
  assessment: AppAssessment,
  context: RuleContext,
  verdict: (credential: AssessedCredential, assessment: AppAssessment) => PostureVerdict | undefined,
): readonly Finding[] {
  let out: Finding[] | undefined;
  for (const assessed of assessment.credentials) {
    const v = verdict(assessed, assessment);
    if (!v) continue;
    (out ??= []).push(
      appFinding(ruleId, v.severity, context, {
        appId: assessment.app.appId,
        appDisplayName: assessment.app.displayName,
        credentialKeyId: assessed.credential.keyId,
        occurredAt: context.now,
        eventIds: [postureEventId(ruleId, assessment.app.appId, assessed.credential.keyId)],
        summary: v.summary,
        details: {
          ...v.details,
          credentialKind: assessed.credential.kind,
          holder: assessed.credential.holder,
          ownership: assessment.app.ownership,
          mailboxCapable: assessment.mailboxCapable,
        },
      }),
    );
  }
  return out ?? NO_FINDINGS;
}

/** Stable across scans, so a repeated posture finding deduplicates. */
export function postureEventId(ruleId: string, appId: string, keyId: string | undefined): string {
  return `posture:${ruleId}:${appId}${keyId ? `:${keyId}` : ''}`;
}

/** `2026-12-10`: dates, not "in 14 days", so the summary does not change every day. */
export function day(date: Date | undefined): string {
  return date ? date.toISOString().slice(0, 10) : 'an unknown date';
}
