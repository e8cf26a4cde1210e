import type { CertificateDetails } from '../events.js';
import { defineRule } from './define.js';
import { describeCredential } from './facts.js';
import { credentialPosture } from './posture.js';

const ID = 'posture-weak-certificate';

/** A key that can be factored or a signature that can be forged is a credential waiting to be copied. */
export const postureWeakCertificate = defineRule({
  id: ID,
  title: 'Weak certificate',
  description:
    'Detects a certificate whose public key could be read and is RSA shorter than 2048 bits or signed with SHA-1. High on mailbox-capable apps, medium otherwise. Certificates whose public key Graph did not return are not evaluated.',
  severity: 'high',
  mitre: ['T1552.004', 'T1078.004'],
  falsePositives: ['SHA-1 signatures on self-signed certificates matter less (Entra checks the key, not the chain); the short key still matters.'],
  runbook: [
    'Generate a new key pair (RSA 2048 or larger, or ECDSA P-256) with a SHA-256 signature, ideally in Key Vault.',
    'Upload the new certificate to the app, switch the workload to it, confirm the new key id in sign-ins, then remove the weak one.',
  ],
  status: 'stable',
  family: ID,
  finding: 'state',
  input: 'posture',
  match: ({ assessment }, context) =>
    credentialPosture(ID, assessment, context, ({ credential: c, flags }, a) => {
      const weakKey = flags.includes('weakKey');
      const sha1 = flags.includes('sha1Signature');
      if (!weakKey && !sha1) return undefined;
      const why = [weakKey ? `${c.certificate?.keySizeInBits ?? '?'}-bit RSA key` : '', sha1 ? 'SHA-1 signature' : ''].filter(Boolean).join(', ');
      return {
        severity: a.mailboxCapable ? 'high' : 'medium',
        summary: `${describeCredential(c)} of "${a.app.displayName}" is weak: ${why}`,
        details: {
          weakKey,
          sha1Signature: sha1,
          keySizeInBits: c.certificate?.keySizeInBits ?? null,
          signatureAlgorithm: c.certificate?.signatureAlgorithm ?? null,
        },
      };
    }),
  cases: ({ assessed, credential, daysFromNow, FULL_ACCESS_AS_APP, ownApp, posture }) => {
    const details = (over: Partial<CertificateDetails>): CertificateDetails => ({
      subject: 'CN=archiver',
      issuer: 'CN=archiver',
      selfSigned: true,
      keyAlgorithm: 'rsa',
      keySizeInBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      notBefore: daysFromNow(-100),
      notAfter: daysFromNow(265),
      thumbprintSha1: 'AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12',
      thumbprintSha256: 'ab'.repeat(32),
      ...over,
    });
    const weak = credential({ certificate: details({ keySizeInBits: 1024, signatureAlgorithm: 'sha1WithRSAEncryption' }) });
    return [
      {
        name: '1024-bit SHA-1 certificate on an ordinary app',
        input: posture(ownApp({ credentials: [weak] }), [assessed(weak, ['weakKey', 'sha1Signature'])]),
        expect: ['medium'],
      },
      {
        name: 'SHA-1 only, on a mailbox-capable app',
        input: posture(ownApp({ credentials: [weak], mailboxPermissions: [FULL_ACCESS_AS_APP] }), [assessed(weak, ['sha1Signature'])]),
        expect: ['high'],
      },
      { name: 'strong certificate', input: posture(ownApp(), [assessed(credential({ certificate: details({}) }))]), expect: [] },
    ];
  },
});
