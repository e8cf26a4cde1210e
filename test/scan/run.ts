/**
 * A scan run for testing stages alone: a parsed configuration (one tenant watched by a user-assigned
 * managed identity, alerts to a JSON-lines file), an in-memory store on a fixed clock, every rule.
 * No simulator and no Graph: the stages under test take what they would have read as arguments.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/index.js';
import { RULES } from '../../src/rules/index.js';
import type { RuleContext } from '../../src/rules/types.js';
import { buildRuleContext } from '../../src/scan/context.js';
import { ruleSummaries, type ScanRun } from '../../src/scan/stages/stage.js';
import { seenExpiry } from '../../src/scan/window.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { captureLogger } from '../helpers/tenant.js';

export const NOW = new Date('2026-11-26T12:00:00Z');
export const TENANT = 'contoso';
/** credwatch's own client id: the app a `collection-failing` alert is about. */
export const MONITOR_CLIENT_ID = 'cccccccc-0000-4000-8000-00000000c0de';

export const minutesAgo = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);

/** A scan run with its store; `vendors` are raw configuration entries. */
export async function stageRun(options: { vendors?: unknown[]; store?: MemoryStateStore } = {}): Promise<ScanRun & { store: MemoryStateStore }> {
  const dir = await mkdtemp(join(tmpdir(), 'credwatch-stage-'));
  const config = await parseConfig(
    {
      tenants: [{ name: TENANT, tenantId: 'aaaaaaaa-0000-4000-8000-000000000001', auth: { mode: 'managedIdentity', clientId: MONITOR_CLIENT_ID } }],
      vendors: options.vendors ?? [],
      channels: [{ type: 'jsonl', name: 'file', path: join(dir, 'alerts.jsonl') }],
      state: { type: 'memory' },
    },
    { env: {}, baseDir: dir },
  );
  return {
    tenant: config.tenants[0]!,
    config,
    store: options.store ?? new MemoryStateStore({ now: () => NOW }),
    logger: captureLogger('silent').logger,
    now: NOW,
    rules: RULES,
    channels: config.channels,
    rule: ruleSummaries(RULES),
    seenExpiresAt: seenExpiry(NOW, config.collection),
  };
}

/** The rule context of a scan that read no inventory, no allowlist and no audit. */
export function emptyContext(run: ScanRun): RuleContext {
  return buildRuleContext({
    tenant: run.tenant.name,
    now: run.now,
    config: run.config,
    inventory: undefined,
    allowlists: { byVendor: new Map(), health: new Map(), sources: [] },
    audits: [],
    changes: [],
    learned: new Map(),
  });
}
