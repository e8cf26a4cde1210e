/**
 * The network a sign-in came from, as a grouping key: alerts group by it and `signin-new-network`
 * learns it. One implementation, in `src/networks`, so the scan and the rules' own cases key alike.
 */
export { networkKey } from '../networks/index.js';
