/**
 * Table Storage failures mapped onto credwatch's stable codes, naming the table prefix so the
 * operator knows which store to look at. The SDK's RestError is kept as the cause; its request
 * and response (headers, SAS tokens) are non-enumerable there, so logging the cause leaks nothing.
 */
import { CredwatchError, type ErrorCode } from '../errors.js';
import { serviceCodeOf, statusOf } from './azure-table-client.js';

function codeFor(status: number | undefined): ErrorCode {
  // 400 and 413 are the service refusing what was sent (a value or an entity it will not store);
  // everything else — no answer, 401/403 (credentials or firewall), 404 (a table deleted under
  // us), 408, 429, 5xx — means the store cannot be used now and the next cycle may succeed.
  return status === 400 || status === 413 ? 'STATE_INVALID_INPUT' : 'STATE_UNAVAILABLE';
}

/**
 * Wraps anything a store operation threw. A CredwatchError keeps its code and details and gains
 * the store and operation (once), so a corrupt row or a refused record names where it happened.
 */
export function mapTableError(e: unknown, tablePrefix: string, operation: string): CredwatchError {
  const where = `azure table state "${tablePrefix}"`;
  if (e instanceof CredwatchError) {
    if ('tablePrefix' in e.details) return e;
    return new CredwatchError(e.code, `${where}: ${operation} failed: ${e.message}`, {
      cause: e,
      retryable: e.retryable,
      details: { ...e.details, tablePrefix, operation },
    });
  }
  if (e instanceof Error && e.name === 'RestError') {
    const status = statusOf(e);
    const serviceCode = serviceCodeOf(e);
    // The service appends RequestId and Time lines; the first line is the message.
    const message = e.message.split('\n')[0] ?? e.message;
    const suffix =
      status === undefined ? (serviceCode === undefined ? '' : ` (${serviceCode})`) : ` (HTTP ${status}${serviceCode === undefined ? '' : ` ${serviceCode}`})`;
    return new CredwatchError(codeFor(status), `${where}: ${operation} failed: ${message}${suffix}`, {
      cause: e,
      details: { tablePrefix, operation, statusCode: status, serviceCode },
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new CredwatchError('INTERNAL', `${where}: ${operation} failed: ${message}`, { cause: e, details: { tablePrefix, operation } });
}

/** Conditional writes kept losing to other writers; trying again later will do. */
export function contention(what: string, attempts: number): CredwatchError {
  return new CredwatchError('STATE_UNAVAILABLE', `${what}: still conflicting with other writers after ${attempts} attempts`, { details: { what, attempts } });
}
