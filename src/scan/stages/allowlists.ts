/**
 * The allowlist stage: every vendor's allowed networks, read once per scan before any sign-in is
 * judged (docs/allowlists.md). A vendor whose sources all failed is `unknown` to the rules — never
 * clean, never "everything outside" — and each failed source is a failed line in the scan's sources,
 * which the blind-spot stage turns into `collection-failing` when a vendor has none left.
 */
import type { SourceRecord } from '../../contract.js';
import type { GraphApi } from '../../graph/client.js';
import { resolveAllowlists, type AllowlistHttp, type AllowlistResolution, type AllowlistSourceReport } from '../../networks/index.js';
import type { ScanRun, StageReport } from './stage.js';

/** The vendors' matchers and health, and one source line per allowlist source. */
export interface AllowlistStageResult extends StageReport {
  allowlists: AllowlistResolution;
}

/** Where allowlists come from besides files: URLs through `http`, named locations through Graph. */
export interface AllowlistReaders {
  http: AllowlistHttp;
  /** Without it, a named-location source fails (and says why). */
  graph?: GraphApi;
}

/**
 * Resolves every configured vendor's allowlist. Sources fail one by one inside the resolver, so
 * this stage itself never fails; its `errors` stay empty and failures show as sources.
 */
export async function allowlistStage(run: ScanRun, readers: AllowlistReaders): Promise<AllowlistStageResult> {
  const allowlists = await resolveAllowlists(run.config.vendors, {
    ...(readers.graph ? { graph: readers.graph } : {}),
    http: readers.http,
    cache: run.store,
    now: () => run.now,
    logger: run.logger,
  });
  return { allowlists, sources: allowlists.sources.map(recordOf), errors: [] };
}

/** `allowlist:<vendor>:<source>`; `ok` is recorded as `complete`, like every other source read in full. */
function recordOf(s: AllowlistSourceReport): SourceRecord {
  // A broad source used because the configuration accepted it is said in every scan summary.
  const accepted = s.broad?.decision === 'accepted' ? s.warnings.find((w) => w.startsWith('broad source in use')) : undefined;
  const message = s.error ?? accepted;
  return {
    source: `allowlist:${s.vendor}:${s.source}`,
    status: s.status === 'ok' ? 'complete' : s.status,
    items: s.ranges,
    ...(s.errorCode ? { errorCode: s.errorCode } : {}),
    ...(message ? { message } : {}),
  };
}
