/**
 * The shape of the test kit a rule's cases are written with. Types only: the kit itself
 * (test/rules/kit.ts) is test code, handed to each rule's `cases` by the case runner, so no
 * production module loads fixtures. Defaults describe a quiet tenant with one Mimecast-like vendor
 * app, at a fixed clock.
 */
import type { AppCredential, AuditEvent, InventoryApp, MailboxPermission, SignInEvent } from '../events.js';
import type { AssessedCredential, CredentialFlag } from '../inventory/assess.js';
import type { InputOf } from './define.js';
import type { AllowlistView, InventoryChange, RuleContext } from './types.js';

/** What a rule file may use to build its positive and negative cases. */
export interface RuleCaseKit {
  /** The fixed clock of every case. */
  readonly TEST_NOW: Date;
  readonly TEST_TENANT: string;
  /** The Mimecast-like vendor app and the key id its sign-ins log. */
  readonly VENDOR_APP_ID: string;
  readonly VENDOR_KEY_ID: string;
  /** The tenant's own line-of-business app, its object id and its one certificate. */
  readonly OWN_APP_ID: string;
  readonly OWN_APP_OBJECT_ID: string;
  readonly OWN_KEY_ID: string;
  /** A key id no app holds yet (the one an attacker adds). */
  readonly NEW_KEY_ID: string;
  /** Mimecast's ranges, one IPv4 /24 and one IPv6 /48. */
  readonly MIMECAST_RANGES: readonly string[];
  /** EWS `full_access_as_app`: every mailbox of the tenant (what Mimecast held). */
  readonly FULL_ACCESS_AS_APP: MailboxPermission;
  /** A per-user delegated `Mail.Read` grant: some mailboxes, not all. */
  readonly DELEGATED_MAIL_READ: MailboxPermission;

  /** `TEST_NOW` moved by whole minutes (negative = earlier). */
  minutesFromNow(minutes: number): Date;
  /** `TEST_NOW` moved by whole days (negative = earlier). */
  daysFromNow(days: number): Date;

  /** Context overrides that make the inventory know these apps (by app id, object id and service principal id). */
  withApps(...apps: InventoryApp[]): Pick<RuleContext, 'app' | 'appByObjectId'>;
  /** An 'ok' allowlist of these CIDRs (IPv4-mapped IPv6 matches IPv4, as the real matcher does). */
  allowlistOk(cidrs: readonly string[], vendor: string, options?: { stale?: boolean }): AllowlistView;
  /** Context override: every app gets this allowlist. */
  allowlistFor(view: AllowlistView): Pick<RuleContext, 'allowlist'>;

  /** A multi-tenant vendor app as the customer's inventory sees it: no visible credentials, no permissions. */
  inventoryApp(over?: Partial<InventoryApp>): InventoryApp;
  /** The tenant's own app, registered here, with one certificate. */
  ownApp(over?: Partial<InventoryApp>): InventoryApp;
  /** A certificate on the app registration, valid for a year from 100 days ago. */
  credential(over?: Partial<AppCredential>): AppCredential;

  /** A successful vendor certificate sign-in to Exchange Online from outside Mimecast's ranges, an hour ago. */
  signIn(over?: Partial<SignInEvent>): InputOf<'signIn'>;
  /** An admin adding a certificate to the own app ("Certificates and secrets management"), 10 minutes ago. */
  audit(over?: Partial<AuditEvent>): InputOf<'audit'>;
  /** An inventory-diff input. */
  inventoryChange(change: InventoryChange): InputOf<'inventoryChange'>;
  /** A credential with its assessment flags (dates derived from the credential and `TEST_NOW`). */
  assessed(c: AppCredential, flags?: CredentialFlag[]): AssessedCredential;
  /** A posture input: mailbox capability follows the app's permissions. */
  posture(app: InventoryApp, credentials?: AssessedCredential[]): InputOf<'posture'>;
}
