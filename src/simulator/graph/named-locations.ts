/**
 * Conditional Access named locations under their documented query rules
 * (https://learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations: `$count`,
 * `$filter`, `$orderby`, `$select`, `$skip`, `$top`). The collection is typed as the base
 * `microsoft.graph.namedLocation`; `ipRanges` and `isTrusted` belong to the derived
 * `ipNamedLocation` and the country properties to `countryNamedLocation`, so `$select` names them
 * with a type cast (`microsoft.graph.ipNamedLocation/ipRanges`) as Microsoft's examples do with
 * `microsoft.graph.countryNamedLocation/countriesAndRegions`. An uncast derived property is not a
 * property of the base type: silent on the exact error, the OData one Graph gives for an unknown
 * property is used, 400 "Could not find a property named 'ipRanges' on type
 * 'microsoft.graph.namedLocation'.". Every item carries its `@odata.type`, with or without `$select`.
 */
import type { SimResponse } from '../http.js';
import { ODataError } from '../odata.js';
import { listOf, type GraphCall, type GraphContext } from './context.js';
import { NAMED_LOCATIONS } from './documented.js';

const BASE_PROPERTIES = ['id', 'displayName', 'createdDateTime', 'modifiedDateTime'];
const DERIVED_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'microsoft.graph.ipNamedLocation': ['ipRanges', 'isTrusted'],
  'microsoft.graph.countryNamedLocation': ['countriesAndRegions', 'countryLookupMethod', 'includeUnknownCountriesAndRegions'],
};

/** One `$select` entry: a base property, or a derived one behind its cast. */
interface Selected {
  type: string | undefined;
  property: string;
}

function selectedProperties(select: readonly string[]): Selected[] {
  return select.map((entry) => {
    const cast = /^(microsoft\.graph\.\w+)\/(\w+)$/.exec(entry);
    if (cast) {
      const [, type = '', property = ''] = cast;
      if (DERIVED_PROPERTIES[type]?.includes(property)) return { type, property };
      throw new ODataError('BadRequest', `Could not find a property named '${property}' on type '${type}'.`);
    }
    if (BASE_PROPERTIES.includes(entry)) return { type: undefined, property: entry };
    throw new ODataError('BadRequest', `Could not find a property named '${entry}' on type 'microsoft.graph.namedLocation'.`);
  });
}

/** Projects a location onto the selected properties, keeping `@odata.type` (its type is derived). */
function projection(selected: readonly Selected[] | undefined): (item: object) => object {
  if (!selected) return (item) => ({ ...item });
  return (item) => {
    const source = item as Record<string, unknown>;
    const out: Record<string, unknown> = { '@odata.type': source['@odata.type'] };
    for (const { type, property } of selected) {
      if (type === undefined || source['@odata.type'] === `#${type}`) {
        if (property in source) out[property] = source[property];
      }
    }
    return out;
  };
}

/** `GET /identity/conditionalAccess/namedLocations` (throttled in the router, graph/throttle.ts). */
export function namedLocations(context: GraphContext, call: GraphCall): SimResponse {
  const selected = call.query.select ? selectedProperties(call.query.select) : undefined;
  return listOf(context, call, NAMED_LOCATIONS, context.state.scenario.namedLocations, {
    entitySet: 'identity/conditionalAccess/namedLocations',
    project: projection(selected),
  });
}
