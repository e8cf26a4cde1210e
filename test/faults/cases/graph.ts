import type { FaultArea } from '../case.js';

export const graphFaults: FaultArea = {
  title: 'Graph answers badly',
  intro:
    'Throttling, server errors, broken bodies and paging as the failure modes of real log collectors (Elastic, Splunk, Wazuh, Sentinel connectors) show them.',
  cases: [],
};
