/**
 * One error type with stable codes. Callers branch on `code`, never on the message; the catalogue
 * below is also the source of docs/errors.md (kept in sync by a test).
 */

export interface ErrorInfo {
  /** What went wrong, in one line. */
  readonly title: string;
  /** What the operator should do about it. */
  readonly fix: string;
  /** Whether trying again later can succeed without anyone changing anything. */
  readonly retryable: boolean;
}

export const ERROR_CATALOGUE = {
  CONFIG_NOT_FOUND: {
    title: 'The configuration file could not be read.',
    fix: 'Pass --config PATH or set CREDWATCH_CONFIG to a readable JSON file (see config/credwatch.example.json).',
    retryable: false,
  },
  CONFIG_INVALID: {
    title: 'The configuration is invalid; every problem is listed with its path.',
    fix: 'Correct each listed entry. Secrets go in environment variables or files referenced by path, never inline.',
    retryable: false,
  },
  AUTH_FAILED: {
    title: "The identity platform rejected credwatch's credentials (an AADSTS error).",
    fix: 'Check the tenant id, client id and that the certificate or secret configured is the one registered on the app (run `credwatch doctor`).',
    retryable: false,
  },
  AUTH_UNAVAILABLE: {
    title: 'No token could be obtained because the token endpoint or managed identity endpoint did not answer.',
    fix: 'Check network access to the authority host (or IDENTITY_ENDPOINT for a managed identity); credwatch retries on the next cycle.',
    retryable: true,
  },
  GRAPH_PERMISSION_MISSING: {
    title: 'Microsoft Graph refused the request because an application permission is missing.',
    fix: "Grant the named application permission to credwatch's app or managed identity and give admin consent (README: Required permissions).",
    retryable: false,
  },
  GRAPH_LICENSE_MISSING: {
    title: 'The tenant has no Microsoft Entra ID P1/P2 licence, which sign-in logs require.',
    fix: 'Assign Entra ID P1 or P2 in the tenant; until then sign-in correlation is reported as unknown, never clean.',
    retryable: false,
  },
  GRAPH_THROTTLED: {
    title: 'Microsoft Graph kept throttling (429) beyond the retry budget.',
    fix: 'Nothing to change in most cases: the next cycle resumes from the last committed watermark. Lower the scan frequency if this persists.',
    retryable: true,
  },
  GRAPH_UNAVAILABLE: {
    title: 'Microsoft Graph did not answer or answered 5xx beyond the retry budget.',
    fix: 'Transient; the next cycle resumes from the last committed watermark. Check service health if it persists.',
    retryable: true,
  },
  GRAPH_BAD_RESPONSE: {
    title: 'Microsoft Graph answered with a body credwatch could not read (truncated, not JSON, or the wrong shape).',
    fix: 'Usually transient (a proxy or a cut connection); if it persists, report it with the logged request id.',
    retryable: true,
  },
  SCAN_DEADLINE: {
    title: "A collection stage was still reading Microsoft Graph at the scan's hard deadline (collection.maxRunMinutes plus 2 minutes).",
    fix: 'The stage is reported as not collected and the next scan reads it again. If it recurs, Graph is slow for this tenant: raise collection.maxRunMinutes (below the Function timeout) or scan less at once.',
    retryable: true,
  },
  GRAPH_RESPONSE_TOO_LARGE: {
    title: 'A Microsoft Graph answer was larger than credwatch reads (64 MiB by default): it stopped reading instead of exhausting memory.',
    fix: 'Graph pages are a few MB; a larger answer comes from a proxy or a broken endpoint. Check the logged path; the source is reported as not collected.',
    retryable: false,
  },
  GRAPH_TOO_MANY_PAGES: {
    title: 'A Microsoft Graph collection kept returning new nextLinks past the page limit (10,000 pages by default).',
    fix: 'No tenant needs that many pages of one listing; an endless chain of links comes from a broken proxy or endpoint. The source is reported as not collected.',
    retryable: false,
  },
  GRAPH_REQUEST_REJECTED: {
    title: 'Microsoft Graph rejected the request (4xx other than 401/403/429).',
    fix: "Check the logged request and Graph's error code; an unknown tenant or an unsupported query shows up here.",
    retryable: false,
  },
  GRAPH_PAGINATION_LOOP: {
    title: "A page's @odata.nextLink repeated an earlier link.",
    fix: 'Transient server behaviour; the cycle is abandoned without committing so nothing is lost.',
    retryable: true,
  },
  GRAPH_FOREIGN_LINK: {
    title: "A page's @odata.nextLink pointed outside the configured Graph host or was not https.",
    fix: 'credwatch never sends its token elsewhere. Check the graphBaseUrl override and any proxy rewriting responses.',
    retryable: false,
  },
  ALLOWLIST_TOO_BROAD: {
    title:
      'A vendor allowlist source allows more of the address space than its limits, so it is not used (any host there, a rented cloud VM included, would count as the vendor).',
    fix: "Narrow the source to the vendor's documented ranges, or set acceptBroadRanges with a reason on that source (or a looser broadRangeLimits with a reason on the vendor); see docs/allowlists.md.",
    retryable: false,
  },
  SIGNINS_DEFERRED: {
    title: 'Sign-ins were read but could not be judged yet (no inventory could be read, now or in an earlier scan), so the sign-in window stays open.',
    fix: 'Fix the inventory read (see its own error: usually Application.Read.All or throttling); the next scan that reads it judges every deferred sign-in. Nothing is cleared meanwhile.',
    retryable: true,
  },
  SIGNINS_BACKLOG: {
    title:
      'A scan stopped at its deadline (collection.maxRunMinutes) with sign-in log time left to read: a first backfill or a catch-up after an outage. The newest sign-ins were read first; the message names what is left and how long it should take.',
    fix: 'Nothing, if the next scans make it shrink: each continues where the last stopped, and nothing is skipped or read twice. `credwatch status` shows what is left.',
    retryable: true,
  },
  SIGNINS_BACKLOG_GROWING: {
    title:
      'The sign-in backlog grew in each of the last scans: the tenant logs service-principal sign-ins faster than credwatch can read them in the time it is given.',
    fix: 'Give scans more time (collection.maxRunMinutes, under the runner\'s limit) or run them more often; on the Function app, fewer tenants per app or a second app (docs/deploy-azure.md, "How many tenants one app can scan"). Until then, sign-ins older than the log\'s 30-day retention are lost (DATA_GAP).',
    retryable: false,
  },
  GRAPH_CALL_UNDOCUMENTED: {
    title:
      'credwatch was about to send a Graph request its endpoint contract does not document (a path, query option, filter or page size the reference page does not list).',
    fix: 'A bug in credwatch, caught before the request left: report it with the logged endpoint and option. docs/graph-calls.md lists every call credwatch makes.',
    retryable: false,
  },
  BLAST_RADIUS_NO_PERMISSION: {
    title:
      "Blast radius unknown: Microsoft Graph refused the audit log query because credwatch's app lacks AuditLogsQuery-Exchange.Read.All (or AuditLogsQuery.Read.All). Which mailboxes the alerted app read is not known — not zero.",
    fix: 'Grant the application permission AuditLogsQuery-Exchange.Read.All to credwatch and give admin consent (docs/blast-radius.md). Mail access is audited only where Purview Audit records MailItemsAccessed.',
    retryable: false,
  },
  BLAST_RADIUS_QUERY_FAILED: {
    title: 'Blast radius unknown: the audit log query ended failed or cancelled (or in a status credwatch does not know), so no records were read.',
    fix: 'Nothing to change if it is rare: a later alert of the same app asks again. The query id is in the log; Purview Audit search in the portal shows the same query.',
    retryable: true,
  },
  BLAST_RADIUS_TIMED_OUT: {
    title: 'Blast radius unknown: the audit log query was still not finished when credwatch stopped waiting for it (24 hours by default).',
    fix: 'Audit searches can take hours; a query that never ends is abandoned, not read. Run the same search in Purview Audit by hand (docs/blast-radius.md).',
    retryable: true,
  },
  BLAST_RADIUS_DAILY_CAP: {
    title:
      "Blast radius not asked: credwatch already created its daily share of audit log queries for this tenant (Purview's query allocation is shared with every other tool of the tenant).",
    fix: 'Nothing, usually: alerts of the same app share one query, and tomorrow has a new allowance. Raise the cap only knowing the tenant allocation (docs/blast-radius.md).',
    retryable: true,
  },
  BLAST_RADIUS_UNAVAILABLE: {
    title:
      "Blast radius unknown: the tenant is in a national cloud (US Government, China), where Microsoft does not offer Graph's audit log query API, so credwatch cannot ask which mailboxes the alerted app read.",
    fix: "Nothing to configure: search MailItemsAccessed for the app in Purview Audit (or Search-UnifiedAuditLog) by hand, over the alert's window and addresses (docs/blast-radius.md).",
    retryable: false,
  },
  STATE_UNAVAILABLE: {
    title:
      'The state store could not be opened or written (SQLite: missing permissions, disk full, locked too long; Azure Table: network, throttling, missing role, deleted table; or closed).',
    fix: 'SQLite: check that the state path (named in the message) is writable and its disk has space. Azure Table: check the storage account is reachable and the identity has Storage Table Data Contributor. A window not committed is read again next cycle; one whose journal was written lands at the next read.',
    retryable: true,
  },
  STATE_CORRUPT: {
    title: 'The state database (or an Azure Table row or journal) is damaged, empty (0 bytes or no tables) or is not credwatch state.',
    fix: "SQLite: stop credwatch and look at the file named in the message. Another application's database: point state.path at credwatch's own file. Damaged or empty: move it aside and restore the latest backup (docs/state.md), or remove an empty file to start afresh on purpose. Azure Table: the message names the table and row; restore it or remove that row. credwatch never replaces state with an empty store by itself.",
    retryable: false,
  },
  STATE_VERSION_UNSUPPORTED: {
    title: 'The state (SQLite schema or Azure Table journal) was written by a newer credwatch than this one.',
    fix: 'Run the newer credwatch version, or restore a backup taken before the upgrade. Schema migrations only go forward.',
    retryable: false,
  },
  STATE_INVALID_INPUT: {
    title:
      "credwatch passed the state store a record or argument it rejects (an invalid date, an empty key, another tenant's record, an unknown outbox entry); nothing of that write was stored.",
    fix: 'A bug: please report it with the log line. The window is not committed, so the next cycle reads it again.',
    retryable: false,
  },
  STATE_BACKEND_UNSUPPORTED: {
    title:
      'The configured state store cannot be used where credwatch runs (e.g. a local SQLite file in an Azure Function, whose disk is neither shared nor kept).',
    fix: 'In the Function app use `"state": { "type": "azureTable" }` (the app\'s own storage account by default); elsewhere sqlite is the default.',
    retryable: false,
  },
  QUEUE_MESSAGE_INVALID: {
    title: 'A queue message is not a credwatch tenant message (malformed, or written by an incompatible version).',
    fix: "The message ends in the poison queue after the host's retries; inspect it there and delete it. The next timer tick queues fresh messages.",
    retryable: false,
  },
  LEASE_HELD: {
    title: "A tenant's scan or weekly report is still leased by another attempt (which crashed, timed out, or is still running); this retried message waits.",
    fix: "Nothing, if it clears: the lease expires after 35 minutes and the host retries the message. If the message reaches the poison queue, read the earlier attempt's errors for that tenant (out of memory, timeout) in Application Insights.",
    retryable: true,
  },
  SCAN_IN_PROGRESS: {
    title:
      'Another scan of the tenant holds its lease in the state store (a CLI scan next to `serve`, two containers on one volume); this scan did not start. The message names the holder (host, pid) and when its lease expires.',
    fix: 'Nothing, if the other scan is expected: it delivers what it finds, and the next scheduled scan runs as usual. `credwatch scan` exits 5. A crashed scan holds the lease at most 5 minutes (docs/state.md, "Two workers at once").',
    retryable: true,
  },
  STORAGE_UNAVAILABLE: {
    title: "The Function app's storage (queues or report blobs) could not be reached or refused the request.",
    fix: 'Check the AzureWebJobsStorage settings and that the managed identity has the Storage Queue/Blob Data roles on the account (docs/deploy-azure.md).',
    retryable: true,
  },
  CHANNEL_UNAVAILABLE: {
    title: 'An alert channel could not be reached or answered 5xx/429; the outbox entry stays pending.',
    fix: 'Nothing is lost: delivery is retried with backoff on every scan. Check the channel endpoint if it persists.',
    retryable: true,
  },
  CHANNEL_REJECTED: {
    title: 'An alert channel refused the alert permanently (4xx); the outbox entry is marked failed.',
    fix: 'Check the channel configuration (URL, permissions, mailbox) named in the error; failed entries are listed by scan and the weekly report.',
    retryable: false,
  },
  CHANNEL_REDIRECTED: {
    title:
      "A Teams or webhook receiver answered with a redirect (3xx); credwatch does not follow it, the alert was not sent and the outbox entry is marked failed. The error names the redirect's host only.",
    fix: 'Configure the final URL of the receiver (a Workflows URL copied whole, the SIEM endpoint itself, not a login page or an old address). If you did not expect that host, treat the receiver as compromised.',
    retryable: false,
  },
  ALLOWLIST_SOURCE_FAILED: {
    title: 'A vendor allowlist source (file, URL or named location) could not be read and no usable cached copy exists.',
    fix: "Check the path, URL or named location name in the vendor's allowedRanges (and Policy.Read.All for named locations). Until a source can be read, that vendor's sign-ins are reported as unknown, never clean.",
    retryable: true,
  },
  ALLOWLIST_URL_REFUSED: {
    title:
      'An allowlist URL, or a redirect it sent, leads to a loopback, private, link-local or metadata address, to another host or to plain http; nothing was sent there.',
    fix: "Point the source at the vendor's public https URL. For a feed on your own network set allowPrivateNetwork: true on that source; to follow a redirect to another https host set allowRedirects: true (docs/allowlists.md). Until then the source is unread and the vendor's sign-ins are unknown.",
    retryable: false,
  },
  ALLOWLIST_RESPONSE_TOO_LARGE: {
    title: 'An allowlist URL sent a body larger than the source allows (maxBodyInBytes, 16 MiB by default); reading stopped there.',
    fix: "Check that the URL serves the vendor's range list and not something else; if the list really is that large, raise maxBodyInBytes on that source.",
    retryable: false,
  },
  DATA_GAP: {
    title: 'Log records in an interval could not be read (the monitor was down longer than the log retention); the interval is named.',
    fix: 'Investigate that interval by other means (Entra exports, Sentinel); keep credwatch running at least every few days.',
    retryable: false,
  },
  WATERMARK_IN_FUTURE: {
    title:
      'A log stream was recorded as read beyond the clock (a clock that ran ahead, a copied state file): it was moved back to what the last scan with a sound clock had read, and is read again from there.',
    fix: 'Check the host clock (NTP). Nothing within the log retention is lost (alerts already raised are not raised twice); time past it is reported as DATA_GAP.',
    retryable: false,
  },
  TLS_VERIFICATION_DISABLED: {
    title:
      'NODE_TLS_REJECT_UNAUTHORIZED=0 is set, which makes Node accept any certificate on every TLS connection (tokens, Graph, alert channels), so credwatch refused to run.',
    fix: 'Unset NODE_TLS_REJECT_UNAUTHORIZED; to trust a private CA, set endpoints.caCertificatePath or NODE_EXTRA_CA_CERTS. Only for a throwaway test: pass --insecure-tls-i-know (CLI) or set the app setting CREDWATCH_ALLOW_INSECURE_TLS=true (Function app).',
    retryable: false,
  },
  INTERNAL: {
    title: 'An unexpected internal error.',
    fix: 'Please report it with the log line (it carries the stack).',
    retryable: false,
  },
} as const satisfies Record<string, ErrorInfo>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface CredwatchErrorOptions {
  cause?: unknown;
  /** Overrides the catalogue's default. */
  retryable?: boolean;
  /** Structured facts for logs and summaries (never secrets). */
  details?: Readonly<Record<string, unknown>>;
}

export class CredwatchError extends Error {
  override readonly name = 'CredwatchError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: CredwatchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CATALOGUE[code].retryable;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }

  /** The catalogue's advice for this error's code. */
  get fix(): string {
    return ERROR_CATALOGUE[this.code].fix;
  }
}

export function isCredwatchError(e: unknown, code?: ErrorCode): e is CredwatchError {
  return e instanceof CredwatchError && (code === undefined || e.code === code);
}

/** Wraps anything thrown into a CredwatchError, keeping the original as `cause`. */
export function toCredwatchError(e: unknown): CredwatchError {
  if (e instanceof CredwatchError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new CredwatchError('INTERNAL', message, { cause: e });
}

/** Markdown for docs/errors.md, generated from the catalogue. */
export function renderErrorCatalogue(): string {
  const rows = Object.entries(ERROR_CATALOGUE).map(([code, info]) => `| \`${code}\` | ${info.title} | ${info.retryable ? 'yes' : 'no'} | ${info.fix} |`);
  return [
    '# Error codes',
    '',
    '<!-- Generated from src/errors.ts by `npm run docs`; a test fails when this file is stale. -->',
    '',
    'Every failure credwatch reports carries one of these stable codes. Scripts should branch on the code, never on the message.',
    '',
    '| code | what happened | retryable | how to fix |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
