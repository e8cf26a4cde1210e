/** Which configured vendor a sign-in's app belongs to. */
import type { VendorConfig } from '../config/types.js';

/**
 * The vendor whose `appIds` include `appId`, else the one whose `ownerTenantIds` include the app's
 * owner tenant; undefined when none does. GUIDs compare case-insensitively (Graph returns lower
 * case, people paste upper case). An app id is the more specific claim, so it wins over an owner
 * listed by another vendor.
 */
export function vendorForApp(vendors: readonly VendorConfig[], appId: string, appOwnerOrganizationId?: string): VendorConfig | undefined {
  const app = appId.toLowerCase();
  const byApp = vendors.find((v) => v.appIds.some((id) => id.toLowerCase() === app));
  if (byApp || !appOwnerOrganizationId) return byApp;
  const owner = appOwnerOrganizationId.toLowerCase();
  return vendors.find((v) => v.ownerTenantIds.some((id) => id.toLowerCase() === owner));
}
