/**
 * MailItemsAccessed records as the audit log query API returns them: a Graph auditLogRecord
 * (https://learn.microsoft.com/graph/api/resources/security-auditlogrecord) around the Exchange
 * mailbox audit data — MailboxOwnerUPN, ClientIPAddress, LogonType and the common AppAccessContext
 * (https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-schema),
 * OperationProperties MailAccessType/IsThrottled, OperationCount and Folders[].FolderItems
 * (https://learn.microsoft.com/purview/audit-log-investigate-accounts). Top-level AppId and
 * ClientAppId are written too, as Exchange records seen in the wild carry them.
 */
import type { AuditLogRecord } from '../scenario.js';
import { guid } from './guid.js';

export interface MailAccessSpec {
  label: string;
  at: Date;
  tenantId: string;
  appId: string;
  ip: string;
  mailbox: string;
  access: 'Bind' | 'Sync';
  /** Messages named (bind) in one folder; ignored for sync. */
  messages?: number;
  folder?: string;
  throttled?: boolean;
}

/** One MailItemsAccessed record of an app reading `mailbox` from `ip`. */
export function mailItemsAccessed(spec: MailAccessSpec): AuditLogRecord {
  const id = guid(`audit/${spec.label}`);
  const folder = spec.folder ?? '\\Inbox';
  const items =
    spec.access === 'Bind'
      ? Array.from({ length: spec.messages ?? 1 }, (_, i) => ({ InternetMessageId: `<${guid(`${spec.label}/m/${i}`)}@contoso.example>` }))
      : [];
  return {
    id,
    createdDateTime: spec.at.toISOString(),
    auditLogRecordType: 'exchangeItemAggregated',
    operation: 'MailItemsAccessed',
    organizationId: spec.tenantId,
    userType: 'application',
    userId: spec.appId,
    service: 'Exchange',
    objectId: null,
    userPrincipalName: spec.mailbox,
    clientIp: spec.ip,
    administrativeUnits: [],
    auditData: {
      '@odata.type': '#microsoft.graph.security.exchangeMailboxAuditRecord',
      CreationTime: spec.at.toISOString().slice(0, 19),
      Id: id,
      Operation: 'MailItemsAccessed',
      OrganizationId: spec.tenantId,
      RecordType: 50,
      ResultStatus: 'Succeeded',
      UserType: 5,
      Version: 1,
      Workload: 'Exchange',
      UserId: spec.appId,
      AppId: spec.appId,
      ClientAppId: spec.appId,
      AppAccessContext: { ClientAppId: spec.appId, APIId: '00000003-0000-0000-c000-000000000000' },
      ClientIPAddress: spec.ip,
      ClientInfoString: 'Client=REST;Client=RESTSystem;;',
      ExternalAccess: false,
      InternalLogonType: 0,
      LogonType: 0,
      MailboxGuid: guid(`mailbox/${spec.mailbox}`),
      MailboxOwnerUPN: spec.mailbox,
      OperationProperties: [
        { Name: 'MailAccessType', Value: spec.access },
        { Name: 'IsThrottled', Value: spec.throttled === true ? 'True' : 'False' },
      ],
      OperationCount: spec.access === 'Bind' ? items.length : 1,
      Folders: [{ Id: guid(`folder/${spec.mailbox}/${folder}`), Path: folder, ...(spec.access === 'Bind' ? { FolderItems: items } : {}) }],
    },
  };
}
