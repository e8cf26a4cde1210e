import type { Config, TenantConfig } from './config/types.js';
import { toCredwatchError } from './errors.js';
import type { TenantConnection } from './graph/connect.js';
import { COLLECTION_PROBES } from './collect/probes.js';
import { checkLocalAllowlists } from './doctor-allowlists.js';
import { REQUIRED_PERMISSIONS, type PermissionNeed } from './graph/permissions.js';
import type { Logger } from './logging.js';

/** The permission the blast radius of sign-in alerts needs (docs/blast-radius.md). */
const BLAST_RADIUS_ROLE = 'AuditLogsQuery-Exchange.Read.All';

export interface DoctorCheck {
  /** The tenant checked, or `vendor "<name>"` for a vendor's allowlist sources. */
  tenant: string;
  check: string;
  ok: boolean;
  detail: string;
  /** How to fix it, when not ok. */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

export interface DoctorDeps {
  config: Config;
  connect: (tenant: TenantConfig) => TenantConnection;
  logger: Logger;
  /** The clock the probes' time windows are read from. */
  now?: () => Date;
}

/** Permissions this configuration needs for a tenant: optional ones only when a feature uses them. */
export function neededPermissions(config: Config, tenant: TenantConfig): PermissionNeed[] {
  const namedLocations = config.vendors.some((v) => v.allowedRanges.some((r) => r.type === 'namedLocation'));
  const sendsMail = config.channels.some((c) => c.type === 'email' && c.senderTenant === tenant.name);
  return REQUIRED_PERMISSIONS.filter((p) => {
    if (!p.optional) return true;
    if (p.role === 'Policy.Read.All') return namedLocations;
    if (p.role === 'Mail.Send') return sendsMail;
    if (p.role === BLAST_RADIUS_ROLE) return tenant.cloud === 'global';
    return false;
  });
}

/**
 * Checks each tenant: a token, the roles in it against what this configuration needs, and one
 * request to each endpoint. Every problem comes with a fix; nothing stops at the first failure.
 */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const checks: DoctorCheck[] = await checkLocalAllowlists(deps.config);
  for (const tenant of deps.config.tenants) {
    const add = (check: Omit<DoctorCheck, 'tenant'>) => checks.push({ tenant: tenant.name, ...check });
    const connection = deps.connect(tenant);
    let roles: readonly string[];
    try {
      const token = await connection.tokens.getToken();
      roles = token.roles;
      add({ check: 'token', ok: true, detail: `token issued to ${token.appId ?? tenant.auth.mode} (${tenant.auth.mode})` });
    } catch (e: unknown) {
      const err = toCredwatchError(e);
      add({ check: 'token', ok: false, detail: `${err.code}: ${err.message}`, fix: err.fix });
      continue;
    }
    for (const need of neededPermissions(deps.config, tenant)) {
      const has = roles.includes(need.role);
      if (!has && need.role === 'Mail.Send') {
        // Least privilege grants Mail.Send through Exchange RBAC for Applications, which never shows
        // in the token; only an Entra consent would. Not a failure, but say how to check it.
        add({
          check: 'permission Mail.Send',
          ok: true,
          detail:
            'not in the token — expected when it is granted through Exchange RBAC for Applications (recommended); verify with Test-ServicePrincipalAuthorization (docs/alerts.md)',
        });
        continue;
      }
      if (need.role === BLAST_RADIUS_ROLE) {
        // Optional: without it credwatch still detects; its alerts say the blast radius is unknown.
        add({
          check: `permission ${need.role}`,
          ok: true,
          detail: has
            ? 'granted — sign-in alerts of mailbox-capable apps will name the mailboxes the app read from the alerted addresses (blast radius)'
            : 'not granted — sign-in alerts will say "blast radius unknown" instead of naming the mailboxes the app read (docs/blast-radius.md)',
          ...(has
            ? {}
            : { fix: `To enable it, grant the Microsoft Graph application permission ${need.role} to client ${clientOf(tenant)} and grant admin consent.` }),
        });
        continue;
      }
      add({
        check: `permission ${need.role}`,
        ok: has,
        detail: has ? 'granted' : `missing — needed to ${need.why.charAt(0).toLowerCase()}${need.why.slice(1)}`,
        ...(has ? {} : { fix: `Grant the Microsoft Graph application permission ${need.role} to client ${clientOf(tenant)} and grant admin consent.` }),
      });
    }
    if (tenant.cloud !== 'global') {
      add({
        check: 'blast radius',
        ok: true,
        detail: `unavailable: Microsoft offers the audit log query API in the global cloud only, not in ${tenant.cloud}; sign-in alerts will say the blast radius is unknown (BLAST_RADIUS_UNAVAILABLE)`,
      });
    }
    // Each probe sends the scan's own first request, so a refused query option shows here too.
    for (const probe of COLLECTION_PROBES.filter((p) => p.needs(deps.config, tenant))) {
      try {
        await probe.run(connection.graph, (deps.now ?? (() => new Date()))());
        add({ check: `read ${probe.name}`, ok: true, detail: 'reachable' });
      } catch (e: unknown) {
        const err = toCredwatchError(e);
        if (err.code === 'GRAPH_REQUEST_REJECTED' && err.details.status === 404) {
          // A mailbox resource (Exchange Online) that is not in the tenant: the scan skips it too.
          add({ check: `read ${probe.name}`, ok: true, detail: 'not present in this tenant' });
          continue;
        }
        add({ check: `read ${probe.name}`, ok: false, detail: `${err.code}: ${err.message}`, fix: err.fix });
      }
    }
  }
  deps.logger.debug({ checks: checks.length }, 'doctor finished');
  return { ok: checks.every((c) => c.ok), checks };
}

function clientOf(tenant: TenantConfig): string {
  return tenant.auth.mode === 'managedIdentity' ? (tenant.auth.clientId ?? 'the managed identity') : tenant.auth.clientId;
}

export function renderDoctor(report: DoctorReport): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} [${c.tenant}] ${c.check}: ${c.detail}${c.fix ? `\n       fix: ${c.fix}` : ''}`);
  lines.push('', report.ok ? 'All checks passed.' : `${report.checks.filter((c) => !c.ok).length} problem(s) found.`);
  return lines.join('\n');
}
