/**
 * A Purview audit log record (Graph's `auditLogRecord`) → {@link MailAccessRecord}.
 *
 * The record itself is documented at https://learn.microsoft.com/graph/api/resources/security-auditlogrecord
 * (id, createdDateTime, operation, userPrincipalName, clientIp, auditData …). Its `auditData` is
 * the workload's own audit schema, documented by the Office 365 Management Activity API schema
 * (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-schema):
 * Exchange mailbox records carry MailboxOwnerUPN and ClientIPAddress, every record may carry
 * AppAccessContext.ClientAppId ("the Id of the Microsoft Entra app that performed the access"). The
 * MailItemsAccessed properties OperationProperties (MailAccessType Bind/Sync, IsThrottled) and
 * Folders[].FolderItems come from "Use Audit (Premium) to investigate compromised accounts"
 * (https://learn.microsoft.com/purview/audit-log-investigate-accounts).
 *
 * Top-level `AppId` and `ClientAppId` also appear in auditData of Exchange records seen in the wild
 * but on no Microsoft reference page credwatch could check: they are read as further app ids, never
 * required. Every missing or unknown value stays unknown (undefined), never zero.
 */
import type { MailAccessRecord, MailAccessType } from '../events.js';
import { normalizeIp } from './signins.js';
import { arr, date, isObject, objects, str, type Json } from './values.js';

/** Longest unknown MailAccessType kept verbatim. */
const RAW_LIMIT = 40;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `ClientIPAddress` is sometimes logged with a port (`203.0.113.5:51234`) or in brackets (`[2001:db8::1]:443`). */
export function auditIp(value: unknown): string | undefined {
  const text = str(value)?.trim();
  if (!text) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return normalizeIp(bracketed[1]);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return normalizeIp(v4WithPort ? v4WithPort[1] : text);
}

/** `[{Name, Value}]` → the Value of `name` (names compared case-insensitively). */
function operationProperty(auditData: Json, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const p of objects(auditData['OperationProperties'])) {
    if (str(p['Name'])?.toLowerCase() === wanted) return str(p['Value']);
  }
  return undefined;
}

function accessTypeOf(value: string | undefined): { accessType: MailAccessType; rawAccessType: string | undefined } {
  const text = value?.trim();
  if (text === undefined || text === '') return { accessType: 'unknown', rawAccessType: undefined };
  const lower = text.toLowerCase();
  if (lower === 'bind' || lower === 'sync') return { accessType: lower, rawAccessType: undefined };
  return { accessType: 'unknown', rawAccessType: text.slice(0, RAW_LIMIT) };
}

function throttledOf(value: string | undefined): boolean | undefined {
  const lower = value?.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

/** AppAccessContext is a collection in the schema table and an object in published samples: read both. */
function appIdsOf(auditData: Json): string[] {
  const contexts = Array.isArray(auditData['AppAccessContext']) ? objects(auditData['AppAccessContext']) : objects([auditData['AppAccessContext']]);
  const candidates = [...contexts.map((c) => c['ClientAppId']), auditData['ClientAppId'], auditData['AppId']];
  const ids = new Set<string>();
  for (const c of candidates) {
    const id = str(c)?.trim().toLowerCase();
    if (id && GUID.test(id)) ids.add(id);
  }
  return [...ids];
}

function foldersOf(auditData: Json): { itemCount: number | undefined; folderCount: number | undefined } {
  if (!Array.isArray(auditData['Folders'])) return { itemCount: undefined, folderCount: undefined };
  const folders = objects(auditData['Folders']);
  let items = 0;
  let itemsKnown = folders.length > 0;
  for (const f of folders) {
    if (Array.isArray(f['FolderItems'])) items += arr(f['FolderItems']).length;
    else itemsKnown = false;
  }
  return { itemCount: itemsKnown ? items : undefined, folderCount: folders.length };
}

/** The auditData object; a JSON string is parsed (the Management Activity API serves it as text). */
function auditDataOf(row: Json): Json {
  const raw = row['auditData'];
  if (isObject(raw)) return raw;
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isObject(parsed)) return parsed;
    } catch {
      // Unreadable: every field it would have held stays unknown.
    }
  }
  return {};
}

/** A record, or the reason it cannot be used (no id: it could not even be counted once). */
export function normalizeAuditRecord(row: unknown): MailAccessRecord | { unreadable: string } {
  if (!isObject(row)) return { unreadable: 'not an object' };
  const recordId = str(row['id']) ?? str(auditDataOf(row)['Id']);
  if (!recordId) return { unreadable: 'no id' };
  const auditData = auditDataOf(row);
  const mailbox = (str(auditData['MailboxOwnerUPN']) ?? undefined)?.trim().toLowerCase() || undefined;
  return {
    recordId,
    mailbox,
    operation: str(row['operation']) ?? str(auditData['Operation']) ?? 'unknown',
    at: date(row['createdDateTime']) ?? date(auditData['CreationTime']),
    clientIp: auditIp(auditData['ClientIPAddress']) ?? auditIp(row['clientIp']) ?? auditIp(auditData['ClientIP']),
    appIds: appIdsOf(auditData),
    ...accessTypeOf(operationProperty(auditData, 'MailAccessType')),
    ...foldersOf(auditData),
    throttled: throttledOf(operationProperty(auditData, 'IsThrottled')),
  };
}
