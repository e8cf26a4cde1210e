import type { FaultArea } from '../case.js';

const BICEP = 'test/deploy/bicep.test.ts';

export const deployFaults: FaultArea = {
  title: 'Deployment template',
  intro: 'The Bicep template read as text against Microsoft’s Flex Consumption samples: what must hold so a broken monitor pages someone.',
  cases: [
    {
      fault: 'A `maximumInstanceCount` below 40 passed to the template',
      expected:
        'Refused at deployment by `@minValue(40)`: below about 36 instances a full plan of scan waves queues behind itself. The comment cites Microsoft’s limit-scale-out page (40 was the documented lowest during the preview; the page now allows 1)',
      test: { file: BICEP, name: 'keeps maximumInstanceCount at 40 or more, citing where the 40 comes from' },
    },
    {
      fault: 'Deploying to Azure Government or Azure in China',
      expected:
        'Storage service URIs are built from `environment().suffixes.storage`; no `core.windows.net` in the template and no `AzureWebJobsStorage__accountName`, which assumes it',
      test: { file: BICEP, name: 'builds the storage endpoints from the suffix of the cloud, never a hard-coded core.windows.net' },
    },
    {
      fault: 'A deployment with nobody to page',
      expected: 'Refused: `alertEmail` has no default, and it is the action group’s email receiver',
      test: { file: BICEP, name: 'emails an action group whose receiver is a required parameter' },
    },
    {
      fault: 'Function invocations failing (a broken timer, a tenant whose scan always throws)',
      expected: 'A metric alert on Application Insights’ `requests/failed` pages the action group at `failedInvocationThreshold` failures an hour',
      test: { file: BICEP, name: 'alerts on failed function invocations through Application Insights' },
    },
    {
      fault: 'A message moved to `credwatch-scan-poison` or `credwatch-report-poison`',
      expected:
        'A log alert on the queue write log (`StorageQueueLogs`, a `PutMessage` into a `-poison` queue) pages the action group; the account-wide `QueueMessageCount` metric cannot tell a poison message from a waiting wave',
      test: { file: BICEP, name: 'alerts on a message moved to a poison queue, from the queue write log (queue metrics are per account)' },
    },
  ],
};
