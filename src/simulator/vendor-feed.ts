/**
 * A vendor's published range list, as a URL allowlist source would fetch it. Served in the shape
 * of Microsoft's ServiceTags JSON (`values[].properties.addressPrefixes`), which vendors and
 * Azure-hosted services commonly reuse, so the example config's `jsonPath` is realistic.
 */
import { jsonResponse, type SimRequest, type SimResponse } from './http.js';
import { MIMECAST_RANGES } from './scenarios/networks.js';

export const VENDOR_FEED_PATH = '/vendor-ranges/mimecast.json';

export function handleVendorFeed(request: SimRequest): SimResponse | undefined {
  if (request.method !== 'GET' || request.url.pathname !== VENDOR_FEED_PATH) return undefined;
  return jsonResponse(200, {
    changeNumber: 1,
    cloud: 'Public',
    values: [{ name: 'Mimecast.Api', id: 'Mimecast.Api', properties: { region: '', addressPrefixes: MIMECAST_RANGES.map((r) => r.cidr) } }],
  });
}
