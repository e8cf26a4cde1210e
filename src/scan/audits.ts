import { readAuditPages } from '../collect/audits.js';
import type { AuditEvent } from '../events.js';
import type { GraphApi } from '../graph/client.js';

/**
 * Reads the audit window in full before sign-ins are judged: "credential added, then used" needs
 * every recent credential change, including ones already seen by an earlier scan. Audit volume for
 * ApplicationManagement is small, so holding the window is fine (sign-ins are the big stream).
 */
export async function readAudits(
  graph: GraphApi,
  from: Date,
  to: Date,
): Promise<{ events: AuditEvent[]; quarantined: Array<{ id: string | undefined; reason: string }> }> {
  const events = new Map<string, AuditEvent>();
  const quarantined: Array<{ id: string | undefined; reason: string }> = [];
  for await (const page of readAuditPages(graph, from, to)) {
    for (const e of page.events) events.set(e.id, e);
    quarantined.push(...page.quarantined);
  }
  return { events: [...events.values()], quarantined };
}
