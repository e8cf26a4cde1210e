/**
 * `credwatch doctor`'s checks of the vendors' local allowlist sources (inline CIDRs and files). The
 * config load already refuses a file it cannot open; here each source is read and parsed the way a
 * scan reads it, so a file that holds no valid range, or that went missing since, fails the doctor
 * instead of the first scan. URL and named-location sources are fetched by the scan, not here.
 */
import type { Config } from './config/types.js';
import type { DoctorCheck } from './doctor.js';
import { readFileSource, readInlineSource } from './networks/local-sources.js';

/** One check per local source of each vendor, named `vendor "<name>"` where tenant checks name a tenant. */
export async function checkLocalAllowlists(config: Config): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const vendor of config.vendors) {
    for (const source of vendor.allowedRanges) {
      if (source.type !== 'file' && source.type !== 'cidrs') continue;
      const label = source.type === 'file' ? `file:${source.path}` : 'cidrs';
      const context = { vendor: vendor.name, source: label };
      const outcome = source.type === 'file' ? await readFileSource(source.path, context) : readInlineSource(source.cidrs, context);
      const scope = `vendor "${vendor.name}"`;
      if (outcome.error === undefined) {
        checks.push({ tenant: scope, check: `allowlist ${label}`, ok: true, detail: `${outcome.ranges.length} range(s)` });
      } else {
        const { code, message, fix } = outcome.error;
        checks.push({ tenant: scope, check: `allowlist ${label}`, ok: false, detail: `${code}: ${message}`, fix });
      }
    }
  }
  return checks;
}
