/**
 * There is no Bicep compiler on the build machines, so this test keeps the Azure template honest
 * another way: it reads config/azure/*.bicep as text and checks it against the code
 * (src/functions/names.ts, src/graph/permissions.ts) and against docs/deploy-azure.md. A setting,
 * queue, container, role or parameter renamed in one place only fails here.
 *
 * It also does the checks a compiler would do first: balanced brackets outside strings and
 * comments, dated API versions, parameters that exist where they are passed and are used.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REPORT_SCHEDULE,
  DEFAULT_SCAN_SCHEDULE,
  REPORT_CONTAINER,
  REPORT_QUEUE,
  SCAN_QUEUE,
  SETTINGS,
  TABLE_PREFIX,
  poisonQueueOf,
} from '../../src/functions/names.js';
import { REQUIRED_PERMISSIONS } from '../../src/graph/permissions.js';
import { packageRoot } from '../../src/package-root.js';

const root = packageRoot();
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

const MAIN = 'config/azure/main.bicep';
const KEY_VAULT = 'config/azure/keyvault-access.bicep';
const PARAMS = 'config/azure/main.bicepparam';
const GUIDE = 'docs/deploy-azure.md';

const main = read(MAIN);
const keyVault = read(KEY_VAULT);
const bicepparam = read(PARAMS);
const guide = read(GUIDE);

// ---------------------------------------------------------------------------------------------
// A small Bicep reader: enough structure to find declarations, object keys and string literals.
// ---------------------------------------------------------------------------------------------

interface Masked {
  /** The source with comments blanked (same offsets). */
  code: string;
  /** The source with comments and string contents blanked; `${...}` expressions kept. */
  skeleton: string;
  problems: string[];
}

/** Blanks comments and string contents, keeping every offset and newline. */
function mask(src: string): Masked {
  const code = src.split('');
  const skeleton = src.split('');
  const problems: string[] = [];
  const blank = (chars: string[], at: number): void => {
    if (chars[at] !== '\n') chars[at] = ' ';
  };
  // Modes: a string, or an interpolation inside a string (code again, with its own brace depth).
  const modes: Array<{ kind: 'string' } | { kind: 'interp'; depth: number }> = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    const mode = modes.at(-1);
    if (mode?.kind === 'string') {
      if (c === '\\') {
        blank(skeleton, i);
        blank(skeleton, i + 1);
        i += 2;
      } else if (c === "'") {
        modes.pop();
        i += 1;
      } else if (c === '$' && next === '{') {
        blank(skeleton, i);
        blank(skeleton, i + 1);
        modes.push({ kind: 'interp', depth: 0 });
        i += 2;
      } else {
        blank(skeleton, i);
        i += 1;
      }
      continue;
    }
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') {
        blank(code, i);
        blank(skeleton, i);
        i += 1;
      }
      continue;
    }
    if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      if (end < 0) problems.push(`unterminated block comment at offset ${i}`);
      for (; i < stop; i += 1) {
        blank(code, i);
        blank(skeleton, i);
      }
      continue;
    }
    if (c === "'") {
      if (src.startsWith("'''", i)) problems.push(`multi-line string at offset ${i}: not supported by this reader`);
      modes.push({ kind: 'string' });
      i += 1;
      continue;
    }
    if (mode?.kind === 'interp') {
      if (c === '{') mode.depth += 1;
      if (c === '}') {
        if (mode.depth === 0) {
          blank(skeleton, i);
          modes.pop();
          i += 1;
          continue;
        }
        mode.depth -= 1;
      }
    }
    i += 1;
  }
  if (modes.length > 0) problems.push('unterminated string or interpolation at end of file');
  return { code: code.join(''), skeleton: skeleton.join(''), problems };
}

/** Problems with (), [] and {} outside strings and comments. */
function delimiterProblems(skeleton: string): string[] {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: Array<{ c: string; line: number }> = [];
  const problems: string[] = [];
  let line = 1;
  for (const c of skeleton) {
    if (c === '\n') line += 1;
    else if (c === '(' || c === '[' || c === '{') stack.push({ c, line });
    else if (c in pairs) {
      const open = stack.pop();
      if (open?.c !== pairs[c]) problems.push(`line ${line}: '${c}' closes ${open ? `'${open.c}' from line ${open.line}` : 'nothing'}`);
    }
  }
  for (const open of stack) problems.push(`line ${open.line}: '${open.c}' never closed`);
  return problems;
}

/** The text of the `{...}` or `[...]` value of `var name = ...`, with strings intact. */
function varBody(src: string, name: string): string {
  const { code, skeleton } = mask(src);
  const decl = new RegExp(`^var ${name} = `, 'm').exec(code);
  if (!decl) throw new Error(`no "var ${name}" in the template`);
  const start = decl.index + decl[0].length;
  const open = skeleton[start];
  if (open !== '{' && open !== '[') throw new Error(`var ${name} is not an object or array literal`);
  const close = open === '{' ? '}' : ']';
  let depth = 0;
  for (let i = start; i < skeleton.length; i += 1) {
    if (skeleton[i] === open) depth += 1;
    else if (skeleton[i] === close && --depth === 0) return code.slice(start + 1, i);
  }
  throw new Error(`var ${name} is never closed`);
}

/** Top-level keys of an object literal body (one property per line, as Bicep writes them). */
function objectKeys(body: string): string[] {
  const keys: string[] = [];
  const skeleton = mask(body).skeleton;
  let depth = 0;
  let offset = 0;
  for (const line of body.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*|'[^']*')\s*:/.exec(line);
    if (m?.[1] && depth === 0) keys.push(m[1].replace(/^'|'$/g, ''));
    for (const c of skeleton.slice(offset, offset + line.length)) {
      if (c === '{' || c === '[' || c === '(') depth += 1;
      if (c === '}' || c === ']' || c === ')') depth -= 1;
    }
    offset += line.length + 1;
  }
  return keys;
}

const stringLiterals = (body: string): string[] => [...body.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1] ?? '');

interface Param {
  name: string;
  type: string;
  defaultValue: string | undefined;
}

function params(src: string): Param[] {
  return [...mask(src).code.matchAll(/^param (\w+) (\w+)(?: = (.+))?$/gm)].map((m) => ({
    name: m[1] ?? '',
    type: m[2] ?? '',
    defaultValue: m[3]?.trim(),
  }));
}

const outputs = (src: string): string[] => [...mask(src).code.matchAll(/^output (\w+) \w+ = /gm)].map((m) => m[1] ?? '');

const resources = (src: string): Array<{ symbol: string; type: string; apiVersion: string }> =>
  [...mask(src).code.matchAll(/^resource (\w+) '([^'@]+)@([^']+)'/gm)].map((m) => ({
    symbol: m[1] ?? '',
    type: m[2] ?? '',
    apiVersion: m[3] ?? '',
  }));

/** `var xRoleId = '<guid>'` with the role name and doc link from the comment block above it. */
function roleIds(src: string): Array<{ variable: string; guid: string; roleName: string; docUrl: string | undefined }> {
  const lines = src.split('\n');
  const found: Array<{ variable: string; guid: string; roleName: string; docUrl: string | undefined }> = [];
  lines.forEach((line, i) => {
    const m = /^var (\w+RoleId) = '([^']*)'/.exec(line);
    if (!m?.[1] || m[2] === undefined) return;
    const comments: string[] = [];
    for (let j = i - 1; j >= 0 && lines[j]?.startsWith('//'); j -= 1) comments.unshift((lines[j] ?? '').replace(/^\/\/\s?/, ''));
    const roleName = /^([^:]+):/.exec(comments[0] ?? '')?.[1]?.trim() ?? '';
    const docUrl = comments.find((c) => c.startsWith('https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/'));
    found.push({ variable: m[1], guid: m[2], roleName, docUrl });
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// The guide, read by section and table.
// ---------------------------------------------------------------------------------------------

/** The text under a heading (the exact heading text, without #), up to the next heading of that level or above. */
function section(md: string, heading: string): string {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => /^#+ /.test(l) && l.replace(/^#+ /, '') === heading);
  if (start < 0) throw new Error(`no "${heading}" heading in ${GUIDE}`);
  const level = /^#+/.exec(lines[start] ?? '')?.[0].length ?? 1;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && (/^#+/.exec(l)?.[0].length ?? 9) <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** Rows (cells) of the first Markdown table in `text` whose header's first cell is `firstHeader`. */
function table(text: string, firstHeader: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|') && l.split('|')[1]?.trim() === firstHeader);
  if (start < 0) throw new Error(`no table headed "${firstHeader}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const backticked = (cell: string | undefined): string[] => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
const firstColumn = (rows: string[][]): string[] => rows.flatMap((r) => backticked(r[0]));
const codeBlocks = (md: string): string[] => [...md.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? '');

// ---------------------------------------------------------------------------------------------

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** App settings Flex Consumption rejects or ignores, or that would need storage keys. */
const NOT_ON_FLEX = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_WORKER_RUNTIME_VERSION',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_TIME_ZONE',
  'TZ',
  'AzureWebJobsStorage',
];

const templateAppSettings = [...objectKeys(varBody(main, 'appSettingsBase')), ...objectKeys(varBody(main, 'appSettingsEntraAuth'))];
const mainParams = params(main);
const paramDefault = (name: string): string | undefined => mainParams.find((p) => p.name === name)?.defaultValue;

describe('config/azure Bicep files parse', () => {
  for (const [path, src] of [
    [MAIN, main],
    [KEY_VAULT, keyVault],
    [PARAMS, bicepparam],
  ] as const) {
    it(`${path}: strings, comments and brackets are balanced`, () => {
      const { skeleton, problems } = mask(src);
      expect([...problems, ...delimiterProblems(skeleton)]).toEqual([]);
    });
  }

  it('every resource has a dated, non-preview API version', () => {
    const all = [...resources(main), ...resources(keyVault)];
    expect(all.length).toBeGreaterThan(10);
    for (const r of all) {
      // diagnosticSettings has no API version newer than this preview (its change log on
      // learn.microsoft.com lists none), and no GA version with the properties used here.
      if (r.type === 'Microsoft.Insights/diagnosticSettings') expect(r.apiVersion).toBe('2021-05-01-preview');
      else expect(r.apiVersion, `${r.symbol} (${r.type})`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('every parameter is used, and every module file exists', () => {
    for (const [src, list] of [
      [main, mainParams],
      [keyVault, params(keyVault)],
    ] as const) {
      const { code } = mask(src);
      for (const p of list) {
        const uses = code.match(new RegExp(`\\b${p.name}\\b`, 'g'))?.length ?? 0;
        expect(uses, `param ${p.name} is declared but never used`).toBeGreaterThan(1);
      }
    }
    const modules = [...mask(main).code.matchAll(/^module \w+ '([^']+)'/gm)].map((m) => m[1] ?? '');
    expect(modules).toEqual(['keyvault-access.bicep']);
    for (const m of modules) expect(existsSync(join(root, 'config/azure', m)), m).toBe(true);
  });

  it('the module is passed exactly the parameters it declares', () => {
    const call = /module keyVaultAccess[\s\S]*?params: \{([\s\S]*?)\n {2}\}/.exec(mask(main).code)?.[1] ?? '';
    expect(objectKeys(call).sort()).toEqual(
      params(keyVault)
        .map((p) => p.name)
        .sort(),
    );
  });

  it('the example .bicepparam targets main.bicep and sets only parameters it declares', () => {
    expect(mask(bicepparam).code).toMatch(/^using 'main\.bicep'$/m);
    const set = [...mask(bicepparam).code.matchAll(/^param (\w+) = /gm)].map((m) => m[1] ?? '');
    expect(set.length).toBeGreaterThan(0);
    for (const name of set)
      expect(
        mainParams.map((p) => p.name),
        name,
      ).toContain(name);
  });
});

describe('main.bicep matches the Function app (src/functions/names.ts)', () => {
  it('runs Node 22 on Flex Consumption (FC1, Linux)', () => {
    const { code } = mask(main);
    expect(code).toMatch(/runtime: \{\s*name: 'node'\s*version: '22'\s*\}/);
    expect(code).toMatch(/tier: 'FlexConsumption'\s*name: 'FC1'/);
    expect(code).toMatch(/kind: 'functionapp,linux'/);
    expect(code).toMatch(/reserved: true/);
  });

  it("sets every app setting credwatch reads, with the code's default schedules", () => {
    for (const setting of Object.values(SETTINGS)) expect(templateAppSettings).toContain(setting);
    expect(varBody(main, 'appSettingsBase')).toMatch(new RegExp(`${SETTINGS.config}: configFileName\\b`));
    expect(varBody(main, 'appSettingsBase')).toMatch(new RegExp(`${SETTINGS.scanSchedule}: scanSchedule\\b`));
    expect(varBody(main, 'appSettingsBase')).toMatch(new RegExp(`${SETTINGS.reportSchedule}: reportSchedule\\b`));
    expect(paramDefault('scanSchedule')).toBe(`'${DEFAULT_SCAN_SCHEDULE}'`);
    expect(paramDefault('reportSchedule')).toBe(`'${DEFAULT_REPORT_SCHEDULE}'`);
    expect(paramDefault('configFileName')).toBe("'credwatch.json'");
  });

  it('connects the host to storage with the user-assigned identity, never a key', () => {
    expect(templateAppSettings).toEqual(expect.arrayContaining(['AzureWebJobsStorage__credential', 'AzureWebJobsStorage__clientId']));
    const base = varBody(main, 'appSettingsBase');
    expect(base).toMatch(/AzureWebJobsStorage__credential: 'managedidentity'/);
    expect(base).toMatch(/AzureWebJobsStorage__clientId: identity\.properties\.clientId/);
    const { code } = mask(main);
    expect(code).toMatch(/allowSharedKeyAccess: false/);
    expect(code).toMatch(/allowBlobPublicAccess: false/);
    expect(code).toMatch(/minimumTlsVersion: 'TLS1_2'/);
    expect(code).not.toMatch(/listKeys\(/);
    expect(code).toMatch(/type: 'UserAssignedIdentity'\s*userAssignedIdentityResourceId: identity\.id/);
    expect(code).toMatch(/keyVaultReferenceIdentity: identity\.id/);
  });

  it('sets no app setting that Flex Consumption rejects or that needs a storage key', () => {
    const extra = objectKeys(/param extraAppSettings = \{([\s\S]*?)\n\}/.exec(mask(bicepparam).code)?.[1] ?? '');
    expect(extra.length).toBeGreaterThan(0);
    for (const name of NOT_ON_FLEX) {
      expect(templateAppSettings).not.toContain(name);
      expect(extra).not.toContain(name);
    }
  });

  it('creates the scan and report queues, their poison queues and the report container', () => {
    expect(stringLiterals(varBody(main, 'queueNames')).sort()).toEqual(
      [SCAN_QUEUE, poisonQueueOf(SCAN_QUEUE), REPORT_QUEUE, poisonQueueOf(REPORT_QUEUE)].sort(),
    );
    expect(mask(main).code).toMatch(new RegExp(`^var reportContainerName = '${REPORT_CONTAINER}'$`, 'm'));
  });

  it('outputs what the guide needs', () => {
    expect(outputs(main)).toEqual(expect.arrayContaining(['functionAppName', 'identityClientId', 'identityPrincipalId', 'storageAccountName']));
  });
});

/** A resource declaration's text, from `resource <symbol>` to its closing brace at column 0. */
function resourceBody(src: string, symbol: string): string {
  const code = mask(src).code;
  const start = code.search(new RegExp(`^resource ${symbol} '`, 'm'));
  if (start < 0) return '';
  const end = code.indexOf('\n}', start);
  return code.slice(start, end < 0 ? undefined : end + 2);
}

/** The decorator lines directly above `param <name>`. */
function decorators(src: string, name: string): string[] {
  const lines = mask(src).code.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`param ${name} `));
  const above: string[] = [];
  for (let i = at - 1; i >= 0 && (lines[i]?.startsWith('@') || lines[i]?.trim() === ''); i--) {
    if (lines[i]?.startsWith('@')) above.unshift(lines[i] ?? '');
  }
  return above;
}

describe('main.bicep deploys to every Azure cloud', () => {
  it('builds the storage endpoints from the suffix of the cloud, never a hard-coded core.windows.net', () => {
    // AzureWebJobsStorage__accountName makes the host assume core.windows.net, which is wrong in
    // Azure Government and Azure in China; the service URIs work everywhere, and credwatch reads them too.
    expect(templateAppSettings).not.toContain('AzureWebJobsStorage__accountName');
    const base = varBody(main, 'appSettingsBase');
    for (const service of ['blob', 'queue', 'table']) {
      expect(base).toMatch(new RegExp(`AzureWebJobsStorage__${service}ServiceUri: storageServiceUri\\.${service}\\b`));
      expect(varBody(main, 'storageServiceUri')).toContain(`${service}: 'https://\${storage.name}.${service}.\${environment().suffixes.storage}'`);
    }
    expect(mask(main).code).not.toMatch(/core\.windows\.net|usgovcloudapi|chinacloudapi/);
  });
});

describe('main.bicep pages someone when credwatch itself fails', () => {
  it('keeps maximumInstanceCount at 40 or more, citing where the 40 comes from', () => {
    expect(decorators(main, 'maximumInstanceCount')).toEqual(expect.arrayContaining(['@minValue(40)', '@maxValue(1000)']));
    expect(Number(paramDefault('maximumInstanceCount'))).toBeGreaterThanOrEqual(40);
    // The comment must say where the number comes from: Microsoft's page on limiting scale-out.
    expect(main).toContain('https://learn.microsoft.com/azure/azure-functions/event-driven-scaling#limit-scale-out');
  });

  it('emails an action group whose receiver is a required parameter', () => {
    // No default: a deployment that pages nobody is refused instead of looking monitored.
    expect(mainParams.find((p) => p.name === 'alertEmail')).toMatchObject({ type: 'string', defaultValue: undefined });
    const group = resourceBody(main, 'actionGroup');
    expect(group).toContain("'Microsoft.Insights/actionGroups@");
    expect(group).toMatch(/emailReceivers: \[\s*\{[^}]*emailAddress: alertEmail\b/);
    expect(mask(bicepparam).code).toMatch(/^param alertEmail = '[^']+@[^']+'$/m);
  });

  it('alerts on failed function invocations through Application Insights', () => {
    const rule = resourceBody(main, 'failedInvocationsAlert');
    expect(rule).toContain("'Microsoft.Insights/metricAlerts@");
    expect(rule).toMatch(/scopes: \[\s*appInsights\.id\s*\]/);
    expect(rule).toContain("metricName: 'requests/failed'");
    expect(rule).toContain('threshold: failedInvocationThreshold');
    expect(rule).toMatch(/actionGroupId: actionGroup\.id/);
  });

  it('alerts on a message moved to a poison queue, from the queue write log (queue metrics are per account)', () => {
    const logs = resourceBody(main, 'queueWriteLogs');
    expect(logs).toMatch(/scope: queueService\b/);
    expect(logs).toMatch(/workspaceId: workspace\.id\b/);
    expect(logs).toContain("category: 'StorageWrite'");
    const rule = resourceBody(main, 'poisonMessageAlert');
    expect(rule).toContain("'Microsoft.Insights/scheduledQueryRules@");
    expect(rule).toMatch(/scopes: \[\s*workspace\.id\s*\]/);
    expect(rule).toContain('query: poisonQuery');
    expect(rule).toMatch(/actionGroups: \[\s*actionGroup\.id\s*\]/);
    const query = /^var poisonQuery = '(.*)'$/m.exec(main)?.[1] ?? '';
    expect(query).toMatch(/^StorageQueueLogs \|/);
    expect(query).toContain('OperationName == "PutMessage"');
    // The suffix the host gives poison queues (poisonQueueOf in src/functions/names.ts).
    expect(poisonQueueOf(SCAN_QUEUE).endsWith('-poison')).toBe(true);
    expect(query).toContain('"-poison/messages"');
  });
});

describe('role assignments use verified built-in role definition ids', () => {
  // Copied from Microsoft's built-in roles reference (the pages the template's comments link).
  const VERIFIED: Record<string, string> = {
    'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
    'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
    'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  };
  const inTemplate = [...roleIds(main).map((r) => ({ ...r, src: main })), ...roleIds(keyVault).map((r) => ({ ...r, src: keyVault }))];
  const inGuide = table(section(guide, 'Role assignments'), 'role').map((r) => ({ roleName: r[0] ?? '', guid: backticked(r[1])[0] ?? '' }));

  it('each id is a well-formed GUID named and linked to its documentation in a comment', () => {
    expect(inTemplate.map((r) => r.roleName).sort()).toEqual(Object.keys(VERIFIED).sort());
    for (const r of inTemplate) {
      expect(r.guid, r.variable).toMatch(GUID);
      expect(r.guid, `${r.variable} is ${r.roleName}`).toBe(VERIFIED[r.roleName]);
      expect(r.docUrl, `${r.variable} needs a link to the built-in roles reference`).toBeDefined();
      const uses = mask(r.src).code.match(new RegExp(`\\b${r.variable}\\b`, 'g'))?.length ?? 0;
      expect(uses, `${r.variable} is never assigned`).toBeGreaterThan(1);
    }
  });

  it('the guide lists the same roles with the same ids', () => {
    expect(inGuide.map((r) => `${r.roleName}=${r.guid}`).sort()).toEqual(inTemplate.map((r) => `${r.roleName}=${r.guid}`).sort());
  });

  it('every role is assigned to the identity as a service principal, scoped to one resource', () => {
    const { code } = mask(main + keyVault);
    const assignments = code.match(/'Microsoft\.Authorization\/roleAssignments@/g)?.length ?? 0;
    expect(assignments).toBe(3);
    expect(code.match(/principalType: 'ServicePrincipal'/g)?.length).toBe(assignments);
    expect(code.match(/roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', \w+\)/g)?.length).toBe(assignments);
  });
});

describe('docs/deploy-azure.md matches the template and the code', () => {
  it('lists exactly the app settings the template sets', () => {
    const documented = firstColumn(table(section(guide, 'App settings'), 'app setting'));
    expect(documented.sort()).toEqual([...templateAppSettings].sort());
  });

  it("names the schedule settings with the code's defaults", () => {
    const rows = table(section(guide, 'Schedules'), 'app setting');
    const documented = Object.fromEntries(rows.map((r) => [backticked(r[0])[0], backticked(r[1])[0]]));
    expect(documented).toEqual({ [SETTINGS.scanSchedule]: DEFAULT_SCAN_SCHEDULE, [SETTINGS.reportSchedule]: DEFAULT_REPORT_SCHEDULE });
  });

  it('documents every template parameter, and only those', () => {
    const documented = firstColumn(table(section(guide, '1. Deploy the infrastructure'), 'parameter'));
    expect(documented.sort()).toEqual(mainParams.map((p) => p.name).sort());
  });

  it('passes only declared parameters and reads only declared outputs', () => {
    const blocks = codeBlocks(guide).join('\n');
    const inline = [...blocks.matchAll(/--parameters ([^\n\\]+)/g)].flatMap((m) => [...(m[1] ?? '').matchAll(/(\w+)=/g)].map((p) => p[1] ?? ''));
    expect(inline.length).toBeGreaterThan(0);
    for (const name of inline)
      expect(
        mainParams.map((p) => p.name),
        name,
      ).toContain(name);
    const read = [...blocks.matchAll(/\bout (\w+)\)/g)].map((m) => m[1] ?? '');
    expect(read.length).toBeGreaterThan(0);
    for (const name of read) expect(outputs(main), name).toContain(name);
  });

  it('lists the Graph permissions of src/graph/permissions.ts and never grants Mail.Send in Entra', () => {
    const documented = firstColumn(table(section(guide, '2. Grant Microsoft Graph permissions to the managed identity'), 'permission'));
    expect(documented.sort()).toEqual(REQUIRED_PERMISSIONS.map((p) => p.role).sort());
    const required = REQUIRED_PERMISSIONS.filter((p) => !p.optional).map((p) => p.role);
    const bashLoop = /for ROLE in ([^;]+);/.exec(guide)?.[1]?.split(/\s+/) ?? [];
    const psLoop = [...(/foreach \(\$value in ([^)]+)\)/.exec(guide)?.[1]?.matchAll(/"([^"]+)"/g) ?? [])].map((m) => m[1]);
    for (const loop of [bashLoop, psLoop]) {
      expect(loop).toEqual(expect.arrayContaining(required));
      // Mail.Send is granted with Exchange RBAC for Applications, never tenant-wide in Entra.
      expect(loop).not.toContain('Mail.Send');
    }
    expect(guide).toContain('00000003-0000-0000-c000-000000000000');
  });

  it('names the queues, containers, table prefix and runtime the template and code use', () => {
    for (const name of [SCAN_QUEUE, REPORT_QUEUE, poisonQueueOf(SCAN_QUEUE), poisonQueueOf(REPORT_QUEUE), REPORT_CONTAINER]) {
      expect(guide).toContain(`\`${name}\``);
    }
    expect(guide).toContain(`prefixed \`${TABLE_PREFIX}\``);
    expect(guide).toContain('Node 22');
    expect(guide).toContain('`app-package`');
    expect(mask(main).code).toMatch(/^var deploymentContainerName = 'app-package'$/m);
  });

  it('deploys the package the way the packaging script names it', () => {
    expect(guide).toContain('npm run package:function -- --config');
    expect(guide).toMatch(/az functionapp deployment source config-zip [^\n]*\n[^\n]*--src dist\/credwatch-function\.zip/);
  });
});
