/** Well-known ids of Microsoft's first-party resources, as their service principals carry them (docs/inventory.md). Role ids are never trusted from here: names come from appRoles at runtime. */
export const EXCHANGE_ONLINE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** `appOwnerOrganizationId` of Microsoft's first-party apps. */
export const MICROSOFT_FIRST_PARTY_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** The resources whose permissions open mailboxes. */
export const MAILBOX_RESOURCES: ReadonlyArray<{ appId: string; resource: 'exchange' | 'graph' }> = [
  { appId: EXCHANGE_ONLINE_APP_ID, resource: 'exchange' },
  { appId: MICROSOFT_GRAPH_APP_ID, resource: 'graph' },
];
