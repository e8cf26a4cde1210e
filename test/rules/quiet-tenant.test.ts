import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/detect/run.js';
import { RULES } from '../../src/rules/index.js';
import {
  allowlistOk,
  assessed,
  credential,
  daysFromNow,
  FULL_ACCESS_AS_APP,
  inventoryApp,
  MIMECAST_RANGES,
  OWN_APP_ID,
  OWN_KEY_ID,
  ownApp,
  posture,
  signIn,
  testContext,
  VENDOR_APP_ID,
  withApps,
} from './kit.js';
import type { RuleInput } from '../../src/rules/types.js';
import { captureLogger } from '../helpers/tenant.js';

describe('a quiet tenant', () => {
  it('raises nothing: the vendor signs in from its ranges, the own app with its own certificate', () => {
    const vendor = inventoryApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] });
    const archiver = ownApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] });
    const mimecast = allowlistOk(MIMECAST_RANGES, 'Mimecast');
    const context = testContext({
      ...withApps(vendor, archiver),
      allowlist: (_app, appId) => (appId === VENDOR_APP_ID ? mimecast : { status: 'none' }),
      learnedNetworks: (appId) => (appId === OWN_APP_ID ? { networks: new Set(['AS8075']), learningSince: daysFromNow(-60) } : undefined),
    });
    const inputs: RuleInput[] = [
      signIn({ id: 'v4', ipAddress: '205.139.110.25' }),
      signIn({ id: 'v6', ipAddress: '2a01:111:f400:7::1', asn: 8075 }),
      signIn({ id: 'mapped', ipAddress: '::ffff:205.139.110.26' }),
      signIn({ id: 'own', appId: OWN_APP_ID, credentialKeyId: OWN_KEY_ID, asn: 8075, ipAddress: '20.190.1.1' }),
      signIn({ id: 'mi', appId: 'mi-app', credentialType: 'managedIdentity', credentialKeyId: undefined }),
      posture(vendor),
      posture(archiver, [assessed(credential())]),
      posture(ownApp({ appId: 'other', credentials: [credential({ endDateTime: daysFromNow(200) })] }), [
        assessed(credential({ endDateTime: daysFromNow(200) })),
      ]),
    ];
    const { findings, errors } = runRules(RULES, inputs, context, captureLogger().logger);
    expect(errors).toEqual([]);
    expect(findings).toEqual([]);
  });
});
