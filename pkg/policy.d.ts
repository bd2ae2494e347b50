// The preflight policy: the same JSON document the Rust crate and the Python
// wheel take. Every section and member is optional; `{}` means the defaults.
// Unknown members are rejected when the policy is loaded (`PolicyError`).

/** How a secret is taken out: replaced by `replacement`, masked, hashed (HMAC-SHA1 with `hash_key`) or removed. */
export type Method = 'replace' | 'mask' | 'hash' | 'remove';

/** The built-in detector families (the core's `family_names()`; a JS test holds this list to it). */
export type FamilyName =
  | 'pemkey'
  | 'urlauth'
  | 'kubernetes-secret'
  | 'nuget-password'
  | 'curl-auth'
  | 'secret-pair'
  | 'bearer'
  | 'jwt'
  | 'aws-key'
  | 'stripe-key'
  | 'github-token'
  | 'slack-token'
  | 'slack-webhook'
  | 'google-api-key'
  | 'llm-api-key'
  | 'gitlab-token'
  | 'npm-token'
  | '1password-key'
  | 'adobe-secret'
  | 'age-key'
  | 'airtable-token'
  | 'alibaba-key'
  | 'artifactory-token'
  | 'atlassian-token'
  | 'authress-key'
  | 'azure-secret'
  | 'azure-storage-key'
  | 'brevo-key'
  | 'clickhouse-key'
  | 'clojars-token'
  | 'cloudflare-key'
  | 'databricks-token'
  | 'defined-networking-key'
  | 'digitalocean-token'
  | 'discord-token'
  | 'discord-webhook'
  | 'doppler-token'
  | 'dropbox-token'
  | 'duffel-token'
  | 'dynatrace-token'
  | 'easypost-key'
  | 'facebook-token'
  | 'flutterwave-key'
  | 'flyio-token'
  | 'frameio-token'
  | 'grafana-token'
  | 'harness-key'
  | 'heroku-key'
  | 'huggingface-token'
  | 'infracost-token'
  | 'intra42-secret'
  | 'linear-key'
  | 'mailchimp-key'
  | 'mailgun-key'
  | 'mapbox-token'
  | 'maxmind-key'
  | 'new-relic-key'
  | 'notion-token'
  | 'octopus-key'
  | 'openshift-token'
  | 'planetscale-token'
  | 'plaid-token'
  | 'postman-key'
  | 'prefect-key'
  | 'pulumi-token'
  | 'pypi-token'
  | 'readme-key'
  | 'rubygems-key'
  | 'scalingo-token'
  | 'sendgrid-key'
  | 'sentry-token'
  | 'settlemint-token'
  | 'shippo-token'
  | 'shopify-token'
  | 'sonar-token'
  | 'sourcegraph-token'
  | 'square-token'
  | 'teams-webhook'
  | 'telegram-token'
  | 'terraform-token'
  | 'twilio-key'
  | 'twitter-token'
  | 'typeform-token'
  | 'vault-token'
  | 'yandex-key'
  | 'creditcard'
  | 'iban'
  | 'usssn'
  | 'us-itin'
  | 'imei'
  | 'phone'
  | 'mac-address'
  | 'bitcoin-address'
  | 'ethereum-address'
  | 'email'
  | 'ip';

/** A built-in value detector by name (`"@creditcard"`), switched off (`"!@ip"`), or a pattern of your own. */
export type PatternEntry =
  | `@${FamilyName}`
  | `!@${FamilyName}`
  | { id: string; regex: string; group?: number; method?: Method; text?: string };

export interface ScrubPolicy {
  defaults?: boolean;
  key_match?: 'substring' | 'exact';
  deny_keys?: string[];
  safe_keys?: string[];
  send_default_pii?: boolean;
  replacement?: string;
  patterns?: PatternEntry[];
  method?: Method;
  hash_key?: string;
  /** A Relay PII config (`rules`, `vars`, `applications` with selectors), applied as Relay applies it. */
  relay?: { [member: string]: unknown };
  /** Sentry's legacy project settings, applied as Relay applies them. */
  datascrubbing?: {
    scrubData?: boolean;
    scrubDefaults?: boolean;
    scrubIpAddresses?: boolean;
    sensitiveFields?: string[];
    excludeFields?: string[];
  };
}

export interface FiltersPolicy {
  /** Exception types or messages: an exact text or a regex written `re:…`; a string is never a regex otherwise. */
  ignore_errors?: string[];
  /** Transaction names: Sentry's globs, as its inbound filters read them (`/health*`, `GET /api/{health,ready}*`, `/v[0-9]/users`; ASCII case ignored), or a regex written `re:…`. */
  ignore_transactions?: string[];
  deny_urls?: string[];
  allow_urls?: string[];
  ignore_status?: number[];
  presets?: 'sentry-javascript'[];
  /** Logs dropped in `beforeSendLog`. */
  ignore_logs?: LogFiltersPolicy;
}

export interface LogFiltersPolicy {
  levels?: ('trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal')[];
  /** Patterns of `*` and `?` only, in their case (or `re:…` regexes), on the whole message or its template. */
  messages?: string[];
  /** The same, on the `logger.name` attribute. */
  loggers?: string[];
}

export interface FingerprintPolicy {
  /** Sentry's fingerprint rule text, one rule a line, or a list of lines. */
  rules?: string | string[];
  parameterize_messages?: boolean;
}

export interface TagsPolicy {
  max_key_chars?: number;
  max_value_chars?: number;
  max_count?: number;
  on_invalid?: 'sanitize' | 'drop' | 'move' | 'keep';
  required?: string[];
}

export interface ParamsPolicy {
  enabled?: boolean;
  redact_keys?: string;
  extra_keys?: string[];
  max_value_bytes?: number;
  tag_params?: string[];
  scrub_descriptions?: boolean;
}

/** A condition on the sampling context, in Relay's shape. */
export type SamplingCondition =
  | { op: 'and' | 'or'; inner: SamplingCondition[] }
  | { op: 'not'; inner: SamplingCondition }
  | { op: 'eq'; name: string; value: string | number | boolean | null | (string | number | boolean | null)[]; options?: { ignoreCase?: boolean } }
  | { op: 'glob'; name: string; value: string | string[] }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; name: string; value: number };

/** A trace rule: what it matches, and exactly one of `rate` and `factor`. */
export type TraceRule = TraceRuleMatch &
  (
    | {
        /** The sample rate of what the rule matches. */
        rate: number;
        factor?: never;
      }
    | {
        /** Multiplies the rate a later rule (or the default) decides. */
        factor: number;
        rate?: never;
      }
  );

export interface TraceRuleMatch {
  name?: string;
  op?: string;
  environment?: string;
  release?: string;
  attributes?: { [attribute: string]: string | number | boolean };
  parent_sampled?: boolean;
  condition?: SamplingCondition;
  force?: boolean;
  /** RFC 3339 instants. */
  time_range?: { start?: string; end?: string };
  decay?: { type: 'linear'; decayed_value: number };
}

export interface ErrorRule {
  type?: string;
  level?: string;
  logger?: string;
  tags?: { [tag: string]: string };
  rate: number;
}

export interface SamplingPolicy {
  traces?: { default_rate?: number; rules?: TraceRule[] };
  errors?: { default_rate?: number; rules?: ErrorRule[] };
  budget?: { max_events: number; window_seconds: number };
}

export interface Policy {
  scrub?: ScrubPolicy;
  filters?: FiltersPolicy;
  fingerprint?: FingerprintPolicy;
  tags?: TagsPolicy;
  params?: ParamsPolicy;
  sampling?: SamplingPolicy;
  limits?: { max_depth?: number };
  on_error?: 'drop' | 'pass';
}
