import type { FaultArea } from '../case.js';

export const allowlistFaults: FaultArea = {
  title: 'Allowlist sources that lie or attack',
  intro: 'Allowlist URLs that redirect, point at internal addresses, or answer too much or too slowly.',
  cases: [],
};
