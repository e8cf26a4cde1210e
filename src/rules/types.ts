import type { AuditEvent, Finding, InventoryApp, InventoryChange, RangeProvenance, Severity, SignInEvent } from '../events.js';
import type { AppAssessment, PostureThresholds } from '../inventory/assess.js';
import type { RuleCaseKit } from './case-kit.js';

/**
 * The rule format (Sigma-like): stable id, metadata a responder needs, a pure match, and the rule's
 * own positive and negative cases. Rule ids are never reused; a retired rule is `deprecated`.
 */
export interface RuleMeta {
  /** Stable, kebab-case, never reused. */
  id: string;
  title: string;
  /** Starts with "Detects". */
  description: string;
  /** The highest severity the rule emits; `match` may lower it (e.g. a failed attempt). */
  severity: Severity;
  /** MITRE ATT&CK technique ids, e.g. `T1550.001`. */
  mitre: readonly string[];
  falsePositives: readonly string[];
  /** What to do, in order. */
  runbook: readonly string[];
  status: 'stable' | 'experimental' | 'deprecated';
  /**
   * The alert family: findings of one family about the same app, credential and network share an
   * alert. Usually the rule's own id; a rule that sees the same change another way (the inventory
   * diff behind an audit-log rule) names that rule, so one change is notified once. Part of the
   * stable alert id, so a rule keeps its family for life.
   */
  family: string;
  /**
   * `event`: each finding is an occurrence, grouped within a time window. `state`: the finding
   * describes how things are (posture), one alert per state with no window, and a re-evaluation
   * every scan is the same fact again, not another occurrence.
   */
  finding: 'event' | 'state';
}

// The inventory diff is made by src/inventory and judged here; it lives with the other events.
export type { InventoryChange } from '../events.js';

/** A source credwatch needs to judge the tenant; the scan reports each one it could not read. */
export type CollectionSource = 'signIns' | 'directoryAudits' | 'inventory' | 'allowlist';

/**
 * One source that this scan could not collect, with its run of failures from the recorded scans:
 * what the `collection-failing` rule judges. Built by the scan; messages carry no secrets.
 */
export interface CollectionHealth {
  source: CollectionSource;
  /** The vendor, for an allowlist (its sign-ins are not judged); undefined otherwise. */
  vendor: string | undefined;
  /** The error code (src/errors.ts) of this scan's failure. */
  code: string;
  /** One line, secrets and URL queries removed. */
  message: string;
  /** When the first scan of the current run of failures started. */
  failingSince: Date;
  /** Failing scans in a row, this one included. */
  consecutiveFailures: number;
  /** credwatch's own identity in the tenant: the app an operational alert is about. */
  monitor: { appId: string; displayName: string };
}

/** What a rule can look at. Inputs are normalized: rules never see Graph's JSON. */
export type RuleInput =
  | { type: 'signIn'; event: SignInEvent }
  | { type: 'audit'; event: AuditEvent }
  | { type: 'inventoryChange'; change: InventoryChange }
  | { type: 'posture'; assessment: AppAssessment }
  | { type: 'collectionHealth'; health: CollectionHealth };

export type RuleInputType = RuleInput['type'];

/** An app's allowed networks as the rules see them. `unknown` must never be treated as clean. */
export type AllowlistView =
  | { status: 'none' }
  | { status: 'unknown'; vendor: string; reason: string }
  | { status: 'ok'; vendor: string; match(ip: string): RangeProvenance[] | undefined; sample: readonly RangeProvenance[]; stale: boolean };

/** Everything a rule may ask about the tenant; built by the scan from inventory, allowlists and state. */
export interface RuleContext {
  tenant: string;
  now: Date;
  posture: PostureThresholds;
  /** The inventory entry for an app id (undefined when the inventory does not know the app). */
  app(appId: string): InventoryApp | undefined;
  /** The inventory entry behind an audit target (application object id or service principal id). */
  appByObjectId(objectId: string): InventoryApp | undefined;
  allowlist(app: InventoryApp | undefined, appId: string): AllowlistView;
  /** Credentials added to an app recently (from audits and the inventory diff), newest first. */
  recentCredentialAdds(appId: string): ReadonlyArray<{ keyId: string | undefined; at: Date; eventId: string }>;
  /** Networks seen for an app and when learning began; undefined when nothing was learned yet. */
  learnedNetworks(appId: string): { networks: ReadonlySet<string>; learningSince: Date } | undefined;
  /** The grouping key for a network: `AS<n>`, IPv4 /24 or IPv6 /48. */
  networkKey(ip: string | undefined, asn: number | undefined): string | undefined;
}

/** One positive or negative example, run by the catalogue test. */
export interface RuleCase {
  name: string;
  input: RuleInput;
  /** Overrides for the test context (see the kit's `testContext`). */
  context?: Partial<RuleContext>;
  /** Expected severities of the findings, in order; `[]` for a negative case. */
  expect: readonly Severity[];
}

/**
 * A rule's own cases, built from the test kit the case runner hands in. A function rather than a
 * list so the fixtures (fixed clock, sample apps, a test allowlist) live in a test-only module that
 * production never loads: the rule file names its cases, the runner supplies the builders.
 */
export type RuleCases = (kit: RuleCaseKit) => readonly RuleCase[];

export interface Rule extends RuleMeta {
  input: RuleInputType;
  /**
   * Pure: same input and context, same findings. Throwing is caught, logged and counted. Read-only
   * so the common "no finding" answer can be one shared empty array instead of an allocation per
   * event (a scan pushes millions of sign-ins through every sign-in rule).
   */
  match(input: RuleInput, context: RuleContext): readonly Finding[];
  cases: RuleCases;
}

// One step lower on the one scale (failed attempts are one level below successful ones).
export { lower } from '../contract.js';
