/**
 * The StateStore on Azure Table Storage (the Function app's storage account), for deployments
 * where several processes share state.
 *
 * Atomicity. Table Storage transactions cover one partition of one table, and a window touches up
 * to eight tables, so `commitWindow` goes through a journal:
 *   1. validate everything and build every entity (STATE_INVALID_INPUT here stores nothing);
 *   2. a snapshot too large to travel inline is written as chunk rows of a new generation that
 *      nothing points to yet (invisible, and collected by purgeExpired if the commit dies);
 *   3. the window is written as the journal, one partition written in ONE transaction: it exists
 *      whole or not at all. This is the commit point;
 *   4. every effect is applied idempotently (see azure-table-apply.ts), the watermark last;
 *   5. the journal is deleted.
 * Before every read of window data, every commit and when the store opens, pending journals are
 * applied (replayed) in creation order. So after a crash at any step the window is either absent
 * (the journal was never written) or, by the time anyone reads, entirely present; a replay that
 * races the original writer or another replay converges to the same state, counted once. Applying
 * is idempotent, not isolated: a read concurrent with a commit still being applied can see part of
 * it, as it would see a commit that lands a moment later.
 *
 * Failures after the commit point (e.g. the network drops while applying) reject with the mapped
 * error although the window will land with the next replay; a caller that reads the window again
 * finds its ids seen and stores nothing twice.
 *
 * Layout, per table `${tablePrefix}<Name>`: see azure-table-rows.ts, azure-table-outbox.ts and
 * azure-table-chunks.ts; keys are encoded by azure-table-keys.ts.
 */
import type { TableClient, TableServiceClientOptions } from '@azure/data-tables';
import { CredwatchError } from '../errors.js';
import type { OutboxPatch } from './codec-rows.js';
import { encodeScan, scanCutoffMs } from './codec-scans.js';
import { distinctIds } from './commit.js';
import { planApply } from './azure-table-apply.js';
import { prepareBlob, writeChunks } from './azure-table-chunks.js';
import { createTables, mapLimit, requireTablePrefix, TABLE_NAMES, type AzureTableLocation, type Tables } from './azure-table-client.js';
import { mapTableError } from './azure-table-errors.js';
import { encodeJournal, JournalClock, listJournals, readJournal, stageCommit, writeJournal, type JournalPayload } from './azure-table-journal.js';
import { casRow } from './azure-table-cas.js';
import { clipCoverage, readCoverage } from './azure-table-coverage.js';
import { double, numberColumn } from './azure-table-pack.js';
import { keyPart } from './azure-table-keys.js';
import { toTimeIntervals } from './coverage.js';
import { collectOrphanChunks, purgeScans, purgeSeen } from './azure-table-maintenance.js';
import { acquireTableLease, releaseTableLease } from './azure-table-scan-lease.js';
import { listTableAuditQueries, reserveTableAuditQuery, updateTableAuditQuery } from './azure-table-audit-queries.js';
import { claimOutboxEntries, dueOutboxEntries, listOutboxEntries, updateOutboxEntry } from './azure-table-outbox.js';
import { listAggregatesBetween, listAlertsBetween, listFindingsBetween, listLearnedNetworks, listScansBetween } from './azure-table-reads.js';
import { readAlerts, readCache, readSnapshot, readWatermark, unseenIds, writeCache } from './azure-table-reads.js';
import { scanEntity } from './azure-table-rows.js';
import { requireLimit } from './order.js';
import type {
  AuditQueryPatch,
  AuditQueryRecord,
  AuditQueryReservation,
  CacheEntry,
  InventorySnapshot,
  LeaseClaim,
  LeaseHolder,
  LearnedNetwork,
  OutboxEntry,
  OutboxStatus,
  ScanRecord,
  SignInAggregate,
  StateStore,
  StateStoreOptions,
  StoredAlert,
  StoredFinding,
  TimeInterval,
  WindowCommit,
} from './types.js';
import { toMs } from './validate.js';

export type { AzureTableLocation } from './azure-table-client.js';

/** Options of {@link AzureTableStateStore.open}. */
export interface AzureTableStateStoreOptions extends StateStoreOptions {
  /** Prefix of every table name (letters and digits, starting with a letter), e.g. `credwatch`. */
  tablePrefix: string;
  /** Allows an http endpoint (Azurite); never needed for Azure itself. */
  allowInsecureConnection?: boolean;
  /** The SDK's retry policy (429, 5xx, network errors); its defaults when absent. */
  retryOptions?: TableServiceClientOptions['retryOptions'];
  /** Test seam: wraps each table's client, e.g. to inject a crash. Production leaves it unset. */
  wrapTableClient?: (client: TableClient) => TableClient;
}

/** A {@link StateStore} in Azure Table Storage; safe for several processes at once. */
export class AzureTableStateStore implements StateStore {
  readonly #t: Tables;
  readonly #now: () => Date;
  readonly #clock = new JournalClock();
  /** Journals this process is applying, so concurrent calls wait for one replay instead of racing. */
  readonly #applying = new Map<string, Promise<void>>();
  #closed = false;

  private constructor(
    /** The table prefix, named in every error. */
    readonly tablePrefix: string,
    tables: Tables,
    now: () => Date,
  ) {
    this.#t = tables;
    this.#now = now;
  }

  /** Creates missing tables, applies journals a crashed writer left, and returns the store. */
  static async open(location: AzureTableLocation, options: AzureTableStateStoreOptions): Promise<AzureTableStateStore> {
    const prefix = requireTablePrefix(options.tablePrefix);
    const clientOptions: TableServiceClientOptions = { allowInsecureConnection: options.allowInsecureConnection ?? false };
    if (options.retryOptions !== undefined) clientOptions.retryOptions = options.retryOptions;
    const tables = createTables(location, prefix, clientOptions, options.wrapTableClient);
    const store = new AzureTableStateStore(prefix, tables, options.now ?? (() => new Date()));
    await store.#run('open', async () => {
      await mapLimit(TABLE_NAMES, 4, (name) => tables[name].createTable());
      await store.#settle();
    });
    return store;
  }

  async getWatermark(tenant: string, stream: string): Promise<Date | undefined> {
    return this.#read('getWatermark', (t) => readWatermark(t.Watermarks, tenant, stream));
  }

  async getCoverage(tenant: string, stream: string): Promise<TimeInterval[]> {
    return this.#read('getCoverage', async (t) => toTimeIntervals(await readCoverage(t.Watermarks, tenant, stream)));
  }

  async rewindStream(tenant: string, stream: string, to: Date): Promise<void> {
    const toMsValue = toMs(to, 'to');
    await this.#run('rewindStream', async (t) => {
      // Coverage first: a crash between the two leaves the watermark ahead, which the next scan
      // finds ahead of its clock again and rewinds again.
      await clipCoverage(t.Watermarks, tenant, stream, toMsValue);
      await casRow(
        t.Watermarks,
        keyPart(tenant),
        keyPart(stream),
        (cur) => (cur !== undefined && numberColumn(cur, 'ms', 'watermark') > toMsValue ? { ms: double(toMsValue) } : undefined),
        `watermark of ${tenant}/${stream}`,
      );
    });
  }

  async filterUnseen(tenant: string, stream: string, ids: readonly string[]): Promise<string[]> {
    return this.#run('filterUnseen', async (t) => {
      const nowMs = toMs(this.#now(), 'clock');
      const distinct = distinctIds(ids);
      if (distinct.length === 0) return [];
      await this.#settle();
      return unseenIds(t.Seen, tenant, stream, distinct, nowMs);
    });
  }

  async commitWindow(commit: WindowCommit): Promise<void> {
    return this.#run('commitWindow', async (t) => {
      const staged = stageCommit(commit);
      await this.#settle();
      // After the settle, so this commit orders after every journal it just applied.
      const jid = this.#clock.next();
      const blob = staged.snapshot === undefined ? undefined : await prepareBlob(staged.snapshot.text, jid);
      const snapshot = staged.snapshot !== undefined && blob !== undefined ? { takenAtMs: staged.snapshot.takenAtMs, ref: blob.ref } : null;
      const payload: JournalPayload = { ...staged.payload, jid, snapshot };
      const apply = planApply(t, payload);
      const journal = await encodeJournal(payload);
      if (blob !== undefined && blob.chunks.length > 0) await writeChunks(t.Snapshots, keyPart(payload.tenant), jid, blob.chunks);
      await writeJournal(t.Journal, journal);
      await this.#track(jid, apply());
    });
  }

  async getAlerts(alertIds: readonly string[]): Promise<StoredAlert[]> {
    // The caller merges these and commits the result, which must order after the versions read.
    return this.#read('getAlerts', (t) => readAlerts(t.Alerts, distinctIds(alertIds), (jid) => this.#clock.observe(jid)));
  }

  async listAlerts(tenant: string, from: Date, to: Date): Promise<StoredAlert[]> {
    return this.#run('listAlerts', async (t) => {
      const [fromMs, toMsExcl] = [toMs(from, 'from'), toMs(to, 'to')];
      await this.#settle();
      return listAlertsBetween(t.Alerts, tenant, fromMs, toMsExcl);
    });
  }

  async listFindings(tenant: string, from: Date, to: Date): Promise<StoredFinding[]> {
    return this.#run('listFindings', async (t) => {
      const [fromMs, toMsExcl] = [toMs(from, 'from'), toMs(to, 'to')];
      await this.#settle();
      return listFindingsBetween(t.Findings, tenant, fromMs, toMsExcl);
    });
  }

  async listAggregates(tenant: string, fromDay: string, toDay: string): Promise<SignInAggregate[]> {
    return this.#read('listAggregates', (t) => listAggregatesBetween(t.Aggregates, tenant, fromDay, toDay));
  }

  async getLearnedNetworks(tenant: string, appId: string): Promise<LearnedNetwork[]> {
    return this.#read('getLearnedNetworks', (t) => listLearnedNetworks(t.LearnedNetworks, tenant, appId));
  }

  async getLatestSnapshot(tenant: string): Promise<InventorySnapshot | undefined> {
    return this.#read('getLatestSnapshot', (t) => readSnapshot(t.Snapshots, tenant, (jid) => this.#clock.observe(jid)));
  }

  async dueOutbox(now: Date, limit: number, tenant?: string): Promise<OutboxEntry[]> {
    return this.#run('dueOutbox', async (t) => {
      const [nowMs, max] = [toMs(now, 'now'), requireLimit(limit)];
      await this.#settle();
      return dueOutboxEntries(t.Outbox, nowMs, max, tenant);
    });
  }

  async listOutbox(tenant: string | undefined, status: OutboxStatus | undefined): Promise<OutboxEntry[]> {
    return this.#read('listOutbox', (t) => listOutboxEntries(t.Outbox, tenant, status));
  }

  async updateOutbox(id: string, patch: OutboxPatch): Promise<void> {
    return this.#read('updateOutbox', (t) => updateOutboxEntry(t.Outbox, id, patch));
  }

  async claimOutbox(ids: readonly string[], now: Date, until: Date): Promise<string[]> {
    return this.#run('claimOutbox', (t) => claimOutboxEntries(t.Outbox, distinctIds(ids), toMs(now, 'now'), toMs(until, 'until')));
  }

  async reserveAuditQuery(record: AuditQueryRecord, dailyCap: number): Promise<AuditQueryReservation> {
    return this.#run('reserveAuditQuery', (t) => reserveTableAuditQuery(t.AuditQueries, record, dailyCap));
  }

  async updateAuditQuery(tenant: string, intentId: string, patch: AuditQueryPatch): Promise<void> {
    await this.#run('updateAuditQuery', (t) => updateTableAuditQuery(t.AuditQueries, tenant, intentId, patch));
  }

  async listAuditQueries(tenant: string, appId: string): Promise<AuditQueryRecord[]> {
    return this.#run('listAuditQueries', (t) => listTableAuditQueries(t.AuditQueries, tenant, appId));
  }

  async acquireScanLease(tenant: string, holder: LeaseHolder, now: Date, ttlInMs: number, takeOverFrom?: string): Promise<LeaseClaim> {
    return this.#run('acquireScanLease', (t) => acquireTableLease(t.ScanLeases, tenant, holder, now, ttlInMs, takeOverFrom));
  }

  async releaseScanLease(tenant: string, holderId: string): Promise<void> {
    return this.#run('releaseScanLease', (t) => releaseTableLease(t.ScanLeases, tenant, holderId));
  }

  async getCache(key: string): Promise<CacheEntry | undefined> {
    return this.#run('getCache', (t) => readCache(t.Cache, key));
  }

  async putCache(key: string, entry: CacheEntry): Promise<void> {
    return this.#run('putCache', (t) => writeCache(t.Cache, key, entry, this.#clock.next()));
  }

  async recordScan(record: ScanRecord): Promise<void> {
    return this.#run('recordScan', async (t) => {
      await t.Scans.upsertEntity(scanEntity(encodeScan(record)), 'Replace');
    });
  }

  async listScans(tenant: string, from: Date, to: Date): Promise<ScanRecord[]> {
    return this.#run('listScans', (t) => listScansBetween(t.Scans, tenant, toMs(from, 'from'), toMs(to, 'to')));
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.#run('purgeExpired', async (t) => {
      const nowMs = toMs(now, 'now');
      // Journals first: their seen ids and snapshot generations must exist before deciding what is orphaned.
      await this.#settle();
      const [seen, scans] = await Promise.all([purgeSeen(t.Seen, nowMs), purgeScans(t.Scans, scanCutoffMs(nowMs))]);
      await Promise.all([collectOrphanChunks(t.Snapshots), collectOrphanChunks(t.Cache)]);
      return seen + scans;
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  /** Applies pending journals, oldest first, so what follows reads whole windows. */
  async #settle(): Promise<void> {
    for (const jid of await listJournals(this.#t.Journal)) {
      this.#clock.observe(jid);
      const running = this.#applying.get(jid);
      if (running !== undefined) {
        await running;
        continue;
      }
      const replay = async (): Promise<void> => {
        try {
          const payload = await readJournal(this.#t.Journal, jid);
          if (payload !== undefined) await planApply(this.#t, payload)();
        } catch (e: unknown) {
          // Name the journal: one that keeps failing blocks every read until someone looks at it.
          throw mapTableError(e, this.tablePrefix, `applying journal ${jid}`);
        }
      };
      await this.#track(jid, replay());
    }
  }

  async #track(jid: string, applying: Promise<void>): Promise<void> {
    this.#applying.set(jid, applying);
    try {
      await applying;
    } finally {
      this.#applying.delete(jid);
    }
  }

  /** A read of window data: pending journals are applied first. */
  #read<T>(operation: string, fn: (t: Tables) => Promise<T>): Promise<T> {
    return this.#run(operation, async (t) => {
      await this.#settle();
      return fn(t);
    });
  }

  async #run<T>(operation: string, fn: (t: Tables) => Promise<T>): Promise<T> {
    if (this.#closed) {
      throw new CredwatchError('STATE_UNAVAILABLE', `azure table state "${this.tablePrefix}" is closed`, {
        details: { tablePrefix: this.tablePrefix, operation },
      });
    }
    try {
      return await fn(this.#t);
    } catch (e: unknown) {
      throw mapTableError(e, this.tablePrefix, operation);
    }
  }
}
