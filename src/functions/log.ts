/**
 * pino inside Azure Functions. The host captures stdout only as unleveled console text, detached
 * from the invocation; records written through the invocation's `context.warn`/`context.error`/…
 * keep their level and land in Application Insights under that invocation. One logger serves the
 * whole worker (Graph connections and their MSAL token caches outlive invocations), so each record
 * finds its invocation through AsyncLocalStorage: whatever runs inside `withInvocation` — including
 * MSAL callbacks and SDK retries it started — logs to that invocation, even when a worker runs
 * several queue messages at once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { InvocationContext } from '@azure/functions';
import { createLogger, type Logger } from '../logging.js';

const current = new AsyncLocalStorage<InvocationContext>();

/** Runs `fn` with `context` as the destination of every credwatch log record it causes. */
export function withInvocation<T>(context: InvocationContext, fn: () => Promise<T>): Promise<T> {
  return current.run(context, fn);
}

type Method = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const METHOD_OF_LEVEL: Record<string, Method> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', error: 'error', fatal: 'error' };

/**
 * Routes one serialized pino record. The message leads (what the portal shows in a list); the
 * record's fields follow as JSON so KQL can `parse_json` them. Outside an invocation (module load,
 * a timer firing after the invocation ended) the line goes to stdout as before.
 */
export function routeRecord(line: string, fallback: (line: string) => void = (l) => process.stdout.write(l)): void {
  const context = current.getStore();
  if (!context) {
    fallback(line);
    return;
  }
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    context.info(line.trimEnd());
    return;
  }
  const method = METHOD_OF_LEVEL[String(record['level'])] ?? 'info';
  const { msg, level: _level, time: _time, ...fields } = record;
  context[method](`${typeof msg === 'string' ? msg : ''} ${JSON.stringify(fields)}`.trim());
}

/** The worker's logger: credwatch's usual redaction, each record tagged with its invocation. */
export function functionsLogger(level: string, fallback?: (line: string) => void): Logger {
  return createLogger({
    level,
    destination: { write: (line: string) => routeRecord(line, fallback) },
    mixin: () => {
      const context = current.getStore();
      return context ? { invocationId: context.invocationId, functionName: context.functionName } : {};
    },
  });
}
