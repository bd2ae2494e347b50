import type { Policy } from './policy';

export type * from './policy';

/** A policy that cannot be loaded. */
export declare class PolicyError extends Error {
  /** JSON path of the offending member, e.g. `scrub.deny_keys[2]`; empty for the whole document. */
  readonly path: string;
  /** Why it was rejected. */
  readonly reason: string;
}

/** Options of a `Preflight`. */
export interface PreflightOptions {
  /**
   * Seconds since the Unix epoch (default: `Date.now() / 1000`), read by
   * `sampling.budget` and time-ranged sampling rules.
   */
  clock?: () => number | null | undefined;
  /**
   * What the SDK's options say of personal data (`dataCollection.userInfo`, else
   * `sendDefaultPii`): `scrub.send_default_pii` where the policy leaves it unset.
   * `preflightIntegration` passes it; a hand-wired hook rarely needs it.
   */
  sdkSendDefaultPii?: boolean;
}

/**
 * Every hook at once, for `Sentry.init({ integrations: [preflightIntegration(policy)] })`:
 * each runs after the hook of the same name in the options, so nothing a user's hook adds
 * leaves unscrubbed and what it drops stays dropped. `dataCollection.userInfo`
 * (else `sendDefaultPii`) sets `scrub.send_default_pii` unless the policy does.
 */
export declare function preflightIntegration(
  policy?: Policy | string,
  options?: PreflightOptions,
): { name: 'Preflight'; setup(client: { getOptions(): Record<string, unknown> }): void };

/**
 * What each hook takes, as far as telling them apart goes: a hook given to
 * the wrong option of `Sentry.init` (`beforeSendLog: pf.beforeSend`) is a
 * type error, while a plain object of the right kind passes.
 */
interface EventMembers {
  event_id?: string;
  message?: unknown;
  exception?: unknown;
  level?: unknown;
  transaction?: unknown;
  spans?: unknown;
  request?: unknown;
  user?: unknown;
  tags?: unknown;
  extra?: unknown;
  contexts?: unknown;
  breadcrumbs?: unknown;
  fingerprint?: unknown;
  /** A log's: never an event's. */
  severityNumber?: never;
}
export interface ErrorEventLike extends EventMembers {
  type?: undefined;
}
export interface TransactionEventLike extends EventMembers {
  type?: 'transaction';
}
export interface LogLike {
  level: string;
  message: unknown;
}
export interface MetricLike {
  name: string;
  value: number;
}

/** A loaded policy. Its hooks may be passed unbound to `Sentry.init`. */
export declare class Preflight {
  /** Loads a policy (an object or JSON text; omitted means the defaults). Throws `PolicyError`. */
  constructor(policy?: Policy | string, options?: PreflightOptions);
  /** `beforeSend`: the processed error event, or `null` to drop it. */
  readonly beforeSend: <T extends ErrorEventLike>(event: T, hint?: unknown) => T | null;
  /** `beforeSendTransaction`: the processed transaction, or `null` to drop it. */
  readonly beforeSendTransaction: <T extends TransactionEventLike>(event: T, hint?: unknown) => T | null;
  /** `beforeBreadcrumb`: the processed breadcrumb, or `null` to drop it. */
  readonly beforeBreadcrumb: <T extends object>(breadcrumb: T, hint?: unknown) => T | null;
  /** @sentry/core's `tracesSampler`: the sample rate from the policy's `sampling` rules. */
  readonly tracesSampler: (samplingContext: {
    name?: string;
    attributes?: Record<string, unknown>;
    parentSampled?: boolean;
    parentSampleRate?: number;
  }) => number;
  /** The decision itself, with the `sample_rand` it was made with (Relay's draw from the trace id when none is given). */
  readonly decideTrace: (context: {
    name?: string;
    op?: string;
    trace_id?: string;
    parent_sampled?: boolean;
    parent_sample_rate?: number;
    sample_rand?: number;
    environment?: string;
    release?: string;
    attributes?: Record<string, unknown>;
  }) => { sampled: boolean; sample_rate: number; sample_rand: number | null };
  /** `beforeSendLog`: the log with its message and attributes scrubbed, or `null` to drop it. */
  readonly beforeSendLog: <T extends LogLike>(log: T) => T | null;
  /** `beforeSendMetric`: the metric with its attributes scrubbed, or `null` to drop it. */
  readonly beforeSendMetric: <T extends MetricLike>(metric: T) => T | null;
  /** `beforeSendSpan` (span streaming): the processed span; spans cannot be dropped. */
  readonly beforeSendSpan: <T extends object>(span: T) => T;
}
