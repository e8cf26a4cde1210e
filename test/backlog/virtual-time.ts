/**
 * A tenant with a multi-million-record sign-in backlog, scanned the way the Function app scans it —
 * a run every 15 minutes, each stopped by `collection.maxRunMinutes` — on a virtual clock: the
 * rate limiter's waits, Retry-After waits, the run deadline, the simulator's throttling and its
 * records' arrival all read the same clock, which moves only when someone waits. So Graph's
 * ceiling (5 report pages per 10 s, https://learn.microsoft.com/graph/throttling-limits) is enforced
 * and measured at the simulator in simulated time, while the test itself runs as fast as credwatch
 * can judge.
 */
import { readFile } from 'node:fs/promises';
import { createChannels } from '../../src/alerts/channels/index.js';
import type { Config } from '../../src/config/types.js';
import { connectTenant } from '../../src/graph/connect.js';
import { createFetch } from '../../src/graph/http.js';
import type { Clock } from '../../src/graph/rate-limit.js';
import { GraphBudgets } from '../../src/graph/rate-limit.js';
import type { Logger } from '../../src/logging.js';
import { runScan, type ScanSummary } from '../../src/scan/index.js';
import type { LazySignIns, SignIn } from '../../src/simulator/scenario.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import type { StateStore } from '../../src/state/types.js';
import { scanConfig, VENDOR_APP_ID } from '../helpers/scan.js';

const MINUTE = 60_000;

/** A clock that moves only when someone sleeps on it (or the test advances it). */
export class VirtualClock implements Clock {
  #ms: number;
  constructor(start: Date) {
    this.#ms = start.getTime();
  }
  now = (): Date => new Date(this.#ms);
  ms = (): number => this.#ms;
  sleep = async (ms: number): Promise<void> => {
    this.#ms += Math.max(0, ms);
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  advanceTo(date: Date): void {
    this.#ms = Math.max(this.#ms, date.getTime());
  }
}

/**
 * The backlog: `backlog` records every `stepMs` from `start`, then the live log from `liveFrom` on,
 * one record every `liveStepMs`, each visible once the clock reaches it; and which are the attacker's.
 */
export interface BacklogSpec {
  start: Date;
  stepMs: number;
  backlog: number;
  liveFrom: Date;
  liveStepMs: number;
  /** Indexes of sign-ins with the vendor's certificate from outside its allowlist, each from its own network. */
  attacks: ReadonlySet<number>;
}

/** The time of record `i`. */
export function timeOf(spec: BacklogSpec, i: number): number {
  return i < spec.backlog ? spec.start.getTime() + i * spec.stepMs : spec.liveFrom.getTime() + (i - spec.backlog) * spec.liveStepMs;
}

/** Records with a time before `ms`. */
function countBefore(spec: BacklogSpec, ms: number): number {
  if (ms <= spec.liveFrom.getTime()) return Math.min(spec.backlog, Math.max(0, Math.ceil((ms - spec.start.getTime()) / spec.stepMs)));
  return spec.backlog + Math.ceil((ms - spec.liveFrom.getTime()) / spec.liveStepMs);
}

const ALLOWED_IP = '205.139.110.';
const ATTACK_ASN_BASE = 4_200_000_000;

function guidOf(i: number): string {
  return `5a5a5a5a-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

/** The records: the vendor's EWS sign-ins from its published range, a few from elsewhere. Only what the List signIns fields credwatch reads need. */
export function lazySignIns(spec: BacklogSpec, clock: VirtualClock, vendor: { servicePrincipalId: string; keyId: string }): LazySignIns {
  return {
    get count() {
      return countBefore(spec, clock.ms() + 1);
    },
    at(i: number): SignIn {
      const attack = spec.attacks.has(i);
      const record = {
        id: guidOf(i),
        createdDateTime: new Date(timeOf(spec, i)).toISOString(),
        appId: VENDOR_APP_ID,
        appDisplayName: 'Mimecast (simulated)',
        servicePrincipalId: vendor.servicePrincipalId,
        ipAddress: attack ? `203.0.113.${i % 250}` : `${ALLOWED_IP}${(i % 250) + 1}`,
        autonomousSystemNumber: attack ? ATTACK_ASN_BASE + i : 64510,
        location: { city: 'Ashburn', countryOrRegion: 'US' },
        resourceId: '00000002-0000-0ff1-ce00-000000000000',
        resourceDisplayName: 'Office 365 Exchange Online',
        clientCredentialType: 'certificate',
        servicePrincipalCredentialKeyId: vendor.keyId,
        signInEventTypes: ['servicePrincipal'],
        status: { errorCode: 0 },
        correlationId: guidOf(i),
      };
      return record as unknown as SignIn;
    },
  };
}

/** The index of the record at or just after `at`. */
export function indexAt(spec: BacklogSpec, at: Date): number {
  return countBefore(spec, at.getTime());
}

/** Records with `createdDateTime < before`. */
export function recordsBefore(spec: BacklogSpec, before: Date): number {
  return countBefore(spec, before.getTime());
}

/** A simulator serving the Mimecast scenario's directory with the backlog as its sign-ins, throttled on the virtual clock. */
export async function backlogTenant(
  spec: BacklogSpec,
  clock: VirtualClock,
  collection: Record<string, number>,
): Promise<{ sim: RunningSimulator; config: Config; alertsFile: string }> {
  const scenario = mimecastScenario(clock.now());
  const sp = scenario.servicePrincipals.find((s) => s.appId === VENDOR_APP_ID)!;
  const keyId = sp.keyCredentials?.[0]?.keyId ?? guidOf(0);
  // The scenario's own sign-ins and audits would only add findings this test does not count.
  const sim = await startSimulator({
    scenario: { ...scenario, signIns: lazySignIns(spec, clock, { servicePrincipalId: sp.id, keyId }), directoryAudits: [] },
    now: clock.now,
    throttleClock: clock.ms,
  });
  // Secret, not certificate: MSAL stamps its client assertion on the wall clock, which the
  // simulator, on the virtual clock, would find expired hours into the run.
  const { config, alertsFile } = await scanConfig(sim, { mode: 'secret', extra: { collection } });
  return { sim, config, alertsFile };
}

/** One scan of the tenant on the virtual clock: Graph client, budgets, store and deadline all read it. */
export async function scanAt(
  sim: RunningSimulator,
  config: Config,
  store: StateStore,
  logger: Logger,
  clock: VirtualClock,
  budgets: GraphBudgets,
): Promise<ScanSummary> {
  const { channels } = createChannels(config.channels, { logger });
  const tenant = config.tenants[0]!;
  return runScan(
    {
      config,
      store,
      connect: (t) => connectTenant(t, { logger, clock, budgets, retry: { baseDelayInMs: 5, maxBackoffInMs: 50 } }),
      channels,
      fetch: createFetch({ caCertificatePem: sim.caCertPem }),
      logger,
      now: clock.now,
    },
    tenant,
  );
}

export { GraphBudgets };

/** Alert ids delivered to the JSON-lines channel, one per line delivered. */
export async function deliveredIds(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { alertId: string }).alertId);
  } catch {
    return [];
  }
}

export const MINUTES = MINUTE;
