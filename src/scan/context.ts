import type { Config } from '../config/types.js';
import type { AuditEvent, Inventory, InventoryApp, RangeProvenance } from '../events.js';
import { networkKey, vendorForApp, type AllowlistResolution } from '../networks/index.js';
import type { AllowlistView, InventoryChange, RuleContext } from '../rules/types.js';
import type { LearnedNetwork } from '../state/types.js';

const SAMPLE = 5;

export interface ContextInputs {
  tenant: string;
  now: Date;
  config: Config;
  inventory: Inventory | undefined;
  allowlists: AllowlistResolution;
  /** Every credential-change audit read this scan (seen before or not): "added then used" needs them all. */
  audits: readonly AuditEvent[];
  changes: readonly InventoryChange[];
  learned: ReadonlyMap<string, readonly LearnedNetwork[]>;
}

/**
 * What rules may ask about the tenant, precomputed so a rule's `match` stays pure and cheap per
 * sign-in: lookups are Map reads, allowlist checks an O(log n) search.
 */
export function buildRuleContext(input: ContextInputs): RuleContext {
  const byAppId = new Map<string, InventoryApp>();
  const byObjectId = new Map<string, InventoryApp>();
  for (const app of input.inventory?.apps ?? []) {
    byAppId.set(app.appId.toLowerCase(), app);
    if (app.servicePrincipalId) byObjectId.set(app.servicePrincipalId.toLowerCase(), app);
    if (app.applicationObjectId) byObjectId.set(app.applicationObjectId.toLowerCase(), app);
  }

  const views = new Map<string, AllowlistView>();
  for (const vendor of input.config.vendors) {
    const set = input.allowlists.byVendor.get(vendor.name);
    const health = input.allowlists.health.get(vendor.name) ?? 'unknown';
    if (health === 'unconfigured') views.set(vendor.name, { status: 'none' });
    else if (!set) views.set(vendor.name, { status: 'unknown', vendor: vendor.name, reason: 'no allowlist source of this vendor could be read' });
    else {
      const sample = set.ranges.slice(0, SAMPLE);
      views.set(vendor.name, {
        status: 'ok',
        vendor: vendor.name,
        match: (ip) => set.match(ip) as RangeProvenance[] | undefined,
        sample,
        stale: health === 'stale',
      });
    }
  }

  /** Each app's allowlist view, by app id then owner tenant ('' for none), filled as apps are asked about. */
  const viewsByApp = new Map<string, Map<string, AllowlistView>>();

  const adds = new Map<string, Array<{ keyId: string | undefined; at: Date; eventId: string }>>();
  const remember = (appId: string | undefined, entry: { keyId: string | undefined; at: Date; eventId: string }) => {
    if (!appId) return;
    const key = appId.toLowerCase();
    adds.set(key, [...(adds.get(key) ?? []), entry]);
  };
  for (const a of input.audits) {
    const app = a.target.id ? byObjectId.get(a.target.id.toLowerCase()) : undefined;
    for (const c of a.credentialChanges) if (c.change === 'added') remember(app?.appId ?? a.target.appId, { keyId: c.keyId, at: a.activityAt, eventId: a.id });
  }
  for (const c of input.changes) {
    // The diff only knows "since the last scan"; the credential's start date is the best time we have.
    if (c.kind !== 'credentialAdded') continue;
    const credential = c.app.credentials.find((x) => x.keyId === c.credentialKeyId);
    remember(c.app.appId, { keyId: c.credentialKeyId, at: credential?.startDateTime ?? input.now, eventId: `inventory:${c.app.appId}:${c.credentialKeyId}` });
  }
  for (const list of adds.values()) list.sort((x, y) => y.at.getTime() - x.at.getTime());

  return {
    tenant: input.tenant,
    now: input.now,
    posture: input.config.posture,
    app: (appId) => byAppId.get(appId.toLowerCase()),
    appByObjectId: (objectId) => byObjectId.get(objectId.toLowerCase()),
    allowlist: (app, appId) => {
      // Asked several times per sign-in (deferral, aggregates, three rules), and vendorForApp walks
      // every vendor's app and owner lists, lower-casing each id: an app's answer cannot change
      // within a scan, so it is worked out once per app id and owner.
      const owner = app?.appOwnerOrganizationId ?? '';
      let byOwner = viewsByApp.get(appId);
      if (!byOwner) viewsByApp.set(appId, (byOwner = new Map()));
      let view = byOwner.get(owner);
      if (!view) {
        const vendor = vendorForApp(input.config.vendors, appId, owner || undefined);
        view = vendor ? (views.get(vendor.name) ?? { status: 'none' }) : { status: 'none' };
        byOwner.set(owner, view);
      }
      return view;
    },
    recentCredentialAdds: (appId) => adds.get(appId.toLowerCase()) ?? [],
    learnedNetworks: (appId) => {
      const list = input.learned.get(appId.toLowerCase());
      if (!list || list.length === 0) return undefined;
      const since = list.reduce((min, n) => (n.firstSeen < min ? n.firstSeen : min), list[0]!.firstSeen);
      return { networks: new Set(list.map((n) => n.network)), learningSince: since };
    },
    networkKey: (ip, asn) => networkKey(ip, asn),
  };
}
