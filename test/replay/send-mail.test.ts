/**
 * credwatch's email channel against Microsoft's sendMail examples
 * (https://learn.microsoft.com/graph/api/user-sendmail): the request it builds uses the properties
 * Microsoft's examples use, a 202 without a body counts as sent, and the published 400 is a refusal.
 */
import { describe, expect, it } from 'vitest';
import { buildAlertMail, createEmailChannel, TEXT_ATTACHMENT_NAME } from '../../src/alerts/channels/email.js';
import { entraAppUrl, type AlertPayload } from '../../src/alerts/payload.js';
import { isCredwatchError } from '../../src/errors.js';
import { example } from './fixtures.js';
import { answerWith, replayGraph } from './replay-graph.js';

const jsonMail = example('send-mail/example-1-json.json');
const attachmentMail = example('send-mail/example-3-file-attachment.json');
const invalidMime = example('send-mail/example-4-mime-invalid-base64-400.json');

const APP_ID = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
const FROM = 'credwatch@contoso.com';

const alert: AlertPayload = {
  schema: 'credwatch.alert/v1',
  alertId: '5f1d2c3b4a5968778695a4b3c2d1e0f9',
  tenant: 'contoso',
  severity: 'high',
  rule: {
    id: 'signin-cert-outside-allowlist',
    title: 'Vendor certificate used outside its allowed networks',
    description: "Detects a certificate sign-in from outside the vendor's ranges.",
    mitre: ['T1550.001'],
    runbook: ['Ask the vendor whether the address is theirs.'],
    falsePositives: ['The vendor moved.'],
  },
  app: { appId: APP_ID, displayName: 'Azure Portal', entraUrl: entraAppUrl(APP_ID) },
  credentialKeyId: null,
  network: 'AS3598',
  summary: 'Vendor certificate for "Azure Portal" used from 131.107.159.37 (US, AS3598)',
  firstSeen: '2021-06-30T16:34:32.000Z',
  lastSeen: '2021-06-30T16:34:32.000Z',
  count: 1,
  successCount: 0,
  failureCount: 1,
  ips: ['131.107.159.37'],
  countries: ['US'],
  asns: [3598],
  resources: ['Windows Azure Service Management API'],
  allowlist: [],
  notification: 0,
};

/** Every property path of a JSON value (`message.toRecipients[].emailAddress.address`). */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => paths(v, `${prefix}[]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}${prefix ? '.' : ''}${k}`, ...paths(v, `${prefix}${prefix ? '.' : ''}${k}`)]);
  }
  return [];
}

describe('the sendMail request credwatch builds', () => {
  const request = buildAlertMail(alert, ['soc@contoso.com']);

  it("uses only properties Microsoft's sendMail examples use", () => {
    const published = new Set([...paths(jsonMail.requestBody), ...paths(attachmentMail.requestBody)]);
    expect(paths(request).filter((p) => !published.has(p))).toEqual([]);
  });

  it('attaches the text as a fileAttachment shaped like example 3, with a boolean saveToSentItems', () => {
    expect(request.message.attachments).toHaveLength(1);
    expect(Object.keys(request.message.attachments[0] ?? {}).sort()).toEqual(['@odata.type', 'contentBytes', 'contentType', 'name']);
    expect(request.message.attachments[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.fileAttachment',
      name: TEXT_ATTACHMENT_NAME,
      contentType: 'text/plain',
    });
    // Example 1 publishes the string "false"; the parameter is documented as a Boolean.
    expect(request.saveToSentItems).toBe(false);
  });
});

describe("the email channel against Microsoft's answers", () => {
  it("counts the published 202 without a body as sent, posting to the mailbox's sendMail", async () => {
    const replay = replayGraph({ [`POST /v1.0/users/${FROM}/sendMail`]: answerWith(jsonMail) });
    const channel = createEmailChannel({ name: 'mail', minSeverity: 'high', graph: replay.graph, fromMailbox: FROM, to: ['soc@contoso.com'] });
    await channel.send(alert);
    expect(replay.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1.0/users/${FROM}/sendMail`]);
    expect(replay.requests[0]?.body).toEqual(buildAlertMail(alert, ['soc@contoso.com']));
  });

  it('reports the published 400 (ErrorMimeContentInvalidBase64String) as a refusal, not as something to retry', async () => {
    const replay = replayGraph({ [`POST /v1.0/users/${FROM}/sendMail`]: answerWith(invalidMime) });
    const channel = createEmailChannel({ name: 'mail', minSeverity: 'high', graph: replay.graph, fromMailbox: FROM, to: ['soc@contoso.com'] });
    const error: unknown = await channel.send(alert).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCredwatchError(error, 'CHANNEL_REJECTED')).toBe(true);
    expect(isCredwatchError(error) && error.details).toMatchObject({ graphCode: 'GRAPH_REQUEST_REJECTED', status: 400 });
    expect(replay.requests).toHaveLength(1);
  });

  // POSTs are sent with ResponseType.TEXT (src/graph/client.ts), so the Graph SDK builds a
  // GraphError with no code and an empty message; classifyGraphFailure reads Graph's error JSON
  // from the body instead, so the operator sees Graph's reason.
  it('says why Graph refused: the published error code and message reach the operator', async () => {
    const replay = replayGraph({ [`POST /v1.0/users/${FROM}/sendMail`]: answerWith(invalidMime) });
    const channel = createEmailChannel({ name: 'mail', minSeverity: 'high', graph: replay.graph, fromMailbox: FROM, to: ['soc@contoso.com'] });
    const error: unknown = await channel.send(alert).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).message).toContain('ErrorMimeContentInvalidBase64String');
    expect((error as Error).message).toContain('Invalid base64 string for MIME content.');
  });
});
