import { loadConfig } from '../config/index.js';
import type { Config, TenantConfig } from '../config/types.js';
import { CredwatchError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import { GraphBudgets } from '../graph/rate-limit.js';
import { connectTenant, type TenantConnection } from '../graph/connect.js';
import { createLogger, type Logger } from '../logging.js';
import { pino } from 'pino';

/** The options given before the command (src/cli/program.ts). */
export interface GlobalOptions {
  config?: string;
  /** One of LOG_LEVELS: commander refuses anything else. */
  logLevel?: string;
  /** `--insecure-tls-i-know`: run even with NODE_TLS_REJECT_UNAUTHORIZED=0 (config/tls-env.ts). */
  insecureTlsIKnow?: boolean;
}

export interface CliContext {
  config: Config;
  logger: Logger;
  connect: (tenant: TenantConfig) => TenantConnection;
  /** The Graph client of a configured tenant by name (email is sent as the sender tenant). */
  graphFor: (tenantName: string) => GraphApi;
}

/** Logs go to stderr so stdout carries only the command's output (a table, JSON or CSV). */
export function cliLogger(level: string): Logger {
  return createLogger({ level, destination: pino.destination({ fd: 2, sync: true }) });
}

export async function cliContext(options: GlobalOptions): Promise<CliContext> {
  const config = await loadConfig(options.config ? { path: options.config } : {});
  const logger = cliLogger(options.logLevel ?? config.logging.level);
  // One budget for every tenant this process reads: Graph's report limits hold per app across tenants.
  const budgets = new GraphBudgets();
  const connect = (tenant: TenantConfig) => connectTenant(tenant, { logger, budgets });
  const graphFor = (name: string) => {
    const tenant = config.tenants.find((t) => t.name === name);
    // The config schema already checks senderTenant names; reaching this is a programming error.
    if (!tenant) throw new CredwatchError('CONFIG_INVALID', `No tenant named "${name}" in the configuration.`);
    return connect(tenant).graph;
  };
  return { config, logger, connect, graphFor };
}

/** The tenants a command runs for: all, or the one named with --tenant. */
export function selectTenants(config: Config, name: string | undefined): readonly TenantConfig[] {
  if (!name) return config.tenants;
  const tenant = config.tenants.find((t) => t.name === name);
  if (!tenant) {
    throw new CredwatchError('CONFIG_INVALID', `No tenant named "${name}" in the configuration; known: ${config.tenants.map((t) => t.name).join(', ')}.`);
  }
  return [tenant];
}
