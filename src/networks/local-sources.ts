/**
 * Sources that are configuration: inline CIDRs and local files. An invalid entry here is a mistake
 * the operator made, so the whole source fails with `CONFIG_INVALID` naming every bad entry,
 * rather than quietly matching against a shorter list than the one they wrote.
 */
import { readFile } from 'node:fs/promises';
import { CredwatchError } from '../errors.js';
import { parseCidrList } from './cidr.js';
import { failed, listEntries, listProblems, noRanges, type SourceOutcome } from './outcome.js';

/** Where an entry came from, for messages: vendor name and source label. */
export interface SourceContext {
  vendor: string;
  /** `cidrs`, `file:<path>`, `url:<url>` or `namedLocation:<name>`. */
  source: string;
}

function fromEntries(entries: readonly { text: string; label?: string }[], context: SourceContext): SourceOutcome {
  const { ranges, warnings, problems } = parseCidrList(entries);
  if (problems.length > 0) {
    const message = `Vendor "${context.vendor}", allowlist source ${context.source}: ${problems.length} invalid ${problems.length === 1 ? 'entry' : 'entries'}:\n  - ${listProblems(problems).join('\n  - ')}`;
    return failed(
      new CredwatchError('CONFIG_INVALID', message, { details: { vendor: context.vendor, source: context.source, problems: listProblems(problems) } }),
      warnings,
    );
  }
  if (ranges.length === 0) return failed(noRanges(`Vendor "${context.vendor}", allowlist source ${context.source}`), warnings);
  return { status: 'ok', ranges, warnings };
}

/** Inline `cidrs` from the configuration. */
export function readInlineSource(cidrs: readonly string[], context: SourceContext): SourceOutcome {
  return fromEntries(
    cidrs.map((text, index) => ({ text, label: `entry ${index + 1}` })),
    context,
  );
}

/** A local file: one CIDR or address per line, `#` comments and blank lines ignored. */
export async function readFileSource(path: string, context: SourceContext): Promise<SourceOutcome> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e: unknown) {
    const code = e !== null && typeof e === 'object' && 'code' in e ? String(e.code) : 'unknown';
    return failed(
      new CredwatchError('ALLOWLIST_SOURCE_FAILED', `Vendor "${context.vendor}": could not read allowlist file ${path} (${code}).`, {
        cause: e,
        retryable: false,
      }),
    );
  }
  return fromEntries(listEntries(text), context);
}
