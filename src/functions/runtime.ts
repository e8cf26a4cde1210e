/**
 * What every function of the app shares within one worker process, built on first use and kept:
 * the configuration, the state store, the storage clients, one Graph connection per tenant (so its
 * MSAL token cache serves every invocation) and the alert channels. Building it is the cold-start
 * cost; a failure is not cached, so the next invocation tries again (and reports the same error).
 */
import { isAbsolute, join } from 'node:path';
import { createChannels } from '../alerts/channels/index.js';
import type { Channel } from '../alerts/channels/types.js';
import { managedIdentityCredential } from '../azure/credential.js';
import { storageFromEnv } from '../config/storage.js';
import { loadConfig } from '../config/index.js';
import { ALLOW_INSECURE_TLS_SETTING, checkTlsEnvironment, insecureTlsAllowedBySetting } from '../config/tls-env.js';
import type { Config, TenantConfig } from '../config/types.js';
import { CredwatchError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import { connectTenant, tenantFetch, type TenantConnection } from '../graph/connect.js';
import { createFetch, type FetchLike } from '../graph/http.js';
import { GraphBudgets } from '../graph/rate-limit.js';
import type { Logger } from '../logging.js';
import { openStateStore } from '../state/index.js';
import type { StateStore } from '../state/types.js';
import { functionsLogger } from './log.js';
import type { TenantMessage } from './messages.js';
import { SETTINGS } from './names.js';
import { ensureStorage, functionStorage, type FunctionStorage } from './storage.js';

export interface FunctionRuntime {
  config: Config;
  store: StateStore;
  storage: FunctionStorage;
  logger: Logger;
  channels: ReadonlyMap<string, Channel>;
  connect: (tenant: TenantConfig) => TenantConnection;
  graphFor: (tenantName: string) => GraphApi;
  /** One fetch (connection pool, extra CA) per tenant for allowlist URLs and channels, kept across invocations. */
  fetchFor: (tenant: TenantConfig) => FetchLike;
  now: () => Date;
}

export interface RuntimeOptions {
  env: NodeJS.ProcessEnv;
  /** The deployed package's root (where host.json and credwatch.json are). */
  appRoot: string;
  now?: () => Date;
  /** Where log lines go outside an invocation (tests capture them); stdout by default. */
  logFallback?: (line: string) => void;
}

export async function createRuntime(options: RuntimeOptions): Promise<FunctionRuntime> {
  const { env } = options;
  // Before any connection: the invocation fails with the reason in its log (handlers.ts).
  const insecureTls = checkTlsEnvironment(env, {
    allowed: insecureTlsAllowedBySetting(env),
    howToAllow: `set the app setting ${ALLOW_INSECURE_TLS_SETTING}=true`,
  });
  const configured = env[SETTINGS.config]?.trim() || 'credwatch.json';
  const config = await loadConfig({ path: isAbsolute(configured) ? configured : join(options.appRoot, configured), env });
  if (config.state.type !== 'azureTable') {
    throw new CredwatchError(
      'STATE_BACKEND_UNSUPPORTED',
      `The Function app needs "state": { "type": "azureTable" }; "${config.state.type}" would keep state on one worker's temporary disk (or in memory) and forget watermarks and sent alerts.`,
      { details: { type: config.state.type } },
    );
  }
  const logger = functionsLogger(config.logging.level, options.logFallback);
  if (insecureTls !== undefined) logger.warn(insecureTls);
  const now = options.now ?? (() => new Date());
  const access = storageFromEnv(env);
  const storage = functionStorage(access, () =>
    managedIdentityCredential({ clientId: access.kind === 'identity' ? access.clientId : undefined, fetch: createFetch({ timeoutInMs: 30_000 }), logger }),
  );
  await ensureStorage(storage);
  const store = await openStateStore(config.state, { now, logger });

  const connections = new Map<string, TenantConnection>();
  // One worker runs several tenants' scans at once (host.json batchSize + newBatchThreshold): they
  // share their app's reports budget here, as the timer's waves share it across workers.
  const budgets = new GraphBudgets();
  const connect = (tenant: TenantConfig): TenantConnection => {
    let connection = connections.get(tenant.name);
    if (!connection) {
      connection = connectTenant(tenant, { logger, budgets });
      connections.set(tenant.name, connection);
    }
    return connection;
  };
  const graphFor = (name: string): GraphApi => {
    const tenant = config.tenants.find((t) => t.name === name);
    // The config schema checks senderTenant names; reaching this is a programming error.
    if (!tenant) throw new CredwatchError('CONFIG_INVALID', `No tenant named "${name}" in the configuration.`);
    return connect(tenant).graph;
  };
  const fetches = new Map<string, FetchLike>();
  const fetchFor = (tenant: TenantConfig): FetchLike => {
    let fetch = fetches.get(tenant.name);
    if (!fetch) {
      fetch = tenantFetch(tenant);
      fetches.set(tenant.name, fetch);
    }
    return fetch;
  };
  const { channels, unavailable } = createChannels(config.channels, { logger, graphFor, now });
  if (unavailable.length > 0) logger.warn({ channels: unavailable }, 'configured channels that cannot deliver here');
  return { config, store, storage, logger, channels, connect, graphFor, fetchFor, now };
}

/**
 * The tenant a queue message names, with a logger bound to it; undefined (logged as a warning) when
 * the message was queued before a deployment removed that tenant: nothing to do, and not worth a
 * poison message.
 */
export function tenantOfMessage(rt: FunctionRuntime, message: TenantMessage): { tenant: TenantConfig; logger: Logger } | undefined {
  const logger = rt.logger.child({ tenant: message.tenant, tick: message.tick });
  const tenant = rt.config.tenants.find((t) => t.name === message.tenant);
  if (!tenant) logger.warn('queue message names a tenant that is not in the configuration any more; ignored');
  return tenant ? { tenant, logger } : undefined;
}

/** Memoizes a successful runtime; a failed build is retried on the next call. */
export function lazyRuntime(build: () => Promise<FunctionRuntime>): () => Promise<FunctionRuntime> {
  let pending: Promise<FunctionRuntime> | undefined;
  return () => {
    pending ??= build().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}
