/**
 * Sign-in conformity from the daily aggregates: per app and day, how many sign-ins came from
 * allowed networks, from unexpected ones, or could not be checked (no allowlist, or one that could
 * not be read) — and the networks outside allowlists that signed in most.
 */
import type { StoredFinding, SignInAggregate } from '../state/types.js';
import type { AppSignIns } from './exposure.js';
import type { ConformityRow, NetworkRow, WeeklyReport } from './types.js';

/** Networks listed under "top unexpected networks". */
export const TOP_NETWORKS = 10;

export interface ConformityResult {
  conformity: WeeklyReport['conformity'];
  /** Per lower-cased app id, for the exposure score. */
  byApp: Map<string, AppSignIns>;
  /** Sum of sign-ins outside allowlists. */
  unexpectedTotal: number;
}

export function buildConformity(
  aggregates: readonly SignInAggregate[],
  days: readonly string[],
  nameOf: (appId: string) => string,
  findings: readonly StoredFinding[],
): ConformityResult {
  const inWeek = new Set(days);
  const rows = new Map<string, ConformityRow>();
  const byApp = new Map<string, AppSignIns & { networks: Set<string> }>();
  const networks = new Map<string, { count: number; apps: Set<string> }>();
  let unexpectedTotal = 0;
  for (const a of aggregates) {
    if (!inWeek.has(a.day)) continue;
    const key = a.appId.toLowerCase();
    const row = rows.get(key) ?? { appId: a.appId, displayName: nameOf(a.appId), days: days.map((day) => ({ day, allowed: 0, unexpected: 0, unchecked: 0 })) };
    rows.set(key, row);
    const day = row.days.find((d) => d.day === a.day);
    const stats = byApp.get(key) ?? { total: 0, unexpected: 0, unexpectedNetworks: 0, networks: new Set<string>() };
    byApp.set(key, stats);
    stats.total += a.count;
    if (a.allowed === true && day) day.allowed += a.count;
    else if (a.allowed === null && day) day.unchecked += a.count;
    else if (a.allowed === false) {
      if (day) day.unexpected += a.count;
      stats.unexpected += a.count;
      stats.networks.add(a.network);
      stats.unexpectedNetworks = stats.networks.size;
      unexpectedTotal += a.count;
      const net = networks.get(a.network) ?? { count: 0, apps: new Set<string>() };
      net.count += a.count;
      net.apps.add(row.displayName);
      networks.set(a.network, net);
    }
  }
  const countries = new Map<string, Set<string>>();
  for (const { finding } of findings) {
    if (!finding.network || !finding.country) continue;
    const set = countries.get(finding.network) ?? new Set<string>();
    set.add(finding.country);
    countries.set(finding.network, set);
  }
  const unexpectedOf = (r: ConformityRow) => r.days.reduce((s, d) => s + d.unexpected, 0);
  const totalOf = (r: ConformityRow) => r.days.reduce((s, d) => s + d.allowed + d.unexpected + d.unchecked, 0);
  const apps = [...rows.values()].sort((a, b) => unexpectedOf(b) - unexpectedOf(a) || totalOf(b) - totalOf(a) || a.displayName.localeCompare(b.displayName));
  const topUnexpectedNetworks: NetworkRow[] = [...networks]
    .map(([network, n]) => ({ network, countries: [...(countries.get(network) ?? [])].sort(), count: n.count, apps: [...n.apps].sort() }))
    .sort((a, b) => b.count - a.count || a.network.localeCompare(b.network))
    .slice(0, TOP_NETWORKS);
  return {
    conformity: { apps, topUnexpectedNetworks },
    byApp: new Map([...byApp].map(([k, { total, unexpected, unexpectedNetworks }]) => [k, { total, unexpected, unexpectedNetworks }])),
    unexpectedTotal,
  };
}
