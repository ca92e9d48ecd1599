/**
 * Typed global rate limits: a descriptor is one entry of what Envoy sends to the rate-limit
 * service (an action) and the entry of the service's configuration that counts it (key, optional
 * value, limit, nested descriptors). Both sides are rendered from the same objects, so the filter's
 * actions and the service's configuration cannot disagree.
 * @see https://github.com/envoyproxy/ratelimit#configuration
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-ratelimit-action
 */
import { IConstruct } from 'constructs';
import { fail } from './private/errors';
import { checkArgs, req } from './private/args';

/** The unit of a global limit (`rate_limit.unit` of envoyproxy/ratelimit). */
export enum RateLimitUnit {
  /** Requests per second. */
  SECOND = 'second',
  /** Requests per minute. */
  MINUTE = 'minute',
  /** Requests per hour. */
  HOUR = 'hour',
  /** Requests per day. */
  DAY = 'day',
}

/** Seconds in each unit (for comparing limits). */
export const SECONDS_PER_UNIT: Readonly<Record<RateLimitUnit, number>> = {
  [RateLimitUnit.SECOND]: 1, [RateLimitUnit.MINUTE]: 60, [RateLimitUnit.HOUR]: 3600, [RateLimitUnit.DAY]: 86400,
};

/** Options of {@link RateLimitDescriptor.limit}. */
export interface DescriptorLimitOptions {
  /**
   * Count and report, but never reject (`shadow_mode`): a way to try a limit on real traffic.
   * @default false
   */
  readonly shadowMode?: boolean;
}

/** One entry of the rate-limit service's configuration (envoyproxy/ratelimit's YAML format). */
export interface RateLimitConfigDescriptor {
  /** The descriptor key. */
  readonly key: string;
  /** The value it matches; absent, every value is counted on its own. */
  readonly value?: string;
  /** The limit of requests matching the chain down to this entry. */
  readonly rate_limit?: { readonly unit: RateLimitUnit; readonly requests_per_unit: number };
  /** Count without rejecting. */
  readonly shadow_mode?: boolean;
  /** Nested descriptors: longer chains. */
  readonly descriptors?: RateLimitConfigDescriptor[];
}

/** A chain of actions Envoy sends as one descriptor, and the limit it reaches. */
export interface ActionChain {
  /** Envoy's actions, in order. */
  readonly actions: Array<Record<string, unknown>>;
  /** The configuration entries (key and value) the chain's entries are matched against. */
  readonly entries: ReadonlyArray<{ readonly key: string; readonly value?: string }>;
  /** The limit at the end of the chain. */
  readonly limit: { readonly unit: RateLimitUnit; readonly requestsPerUnit: number; readonly shadowMode: boolean };
  /** Whether an entry is the client's address (`remote_address`). */
  readonly usesRemoteAddress: boolean;
}

/**
 * One descriptor entry with its limit, and nested entries for longer chains. A request is counted
 * under every chain from a top-level descriptor down to an entry that has a limit; a chain whose
 * entry Envoy cannot produce (a missing header) is not sent.
 *
 * ```ts
 * RateLimitDescriptor.remoteAddress().limit(100, RateLimitUnit.MINUTE)
 * RateLimitDescriptor.path().matching('/api/login').limit(10, RateLimitUnit.MINUTE)
 * RateLimitDescriptor.requestHeader('x-api-key', 'API_KEY').nest(RateLimitDescriptor.path().limit(50, RateLimitUnit.SECOND))
 * ```
 */
export class RateLimitDescriptor {
  /** The client's address (`remote_address`): one counter per client. Needs a gateway that sees client addresses. */
  public static remoteAddress(): RateLimitDescriptor {
    return new RateLimitDescriptor('remote_address', undefined, { remote_address: {} }, true);
  }

  /** A request header's value under `descriptorKey`: one counter per value; requests without the header are not counted by this chain. */
  public static requestHeader(headerName: string, descriptorKey: string): RateLimitDescriptor {
    checkArgs('RateLimitDescriptor.requestHeader', 'headerName', headerName, req('s'));
    checkArgs('RateLimitDescriptor.requestHeader', 'descriptorKey', descriptorKey, req('s'));
    if (typeof headerName !== 'string' || !/^:?[A-Za-z0-9-]+$/.test(headerName)) {
      fail('RateLimitDescriptor.requestHeader', 'headerName', headerName, 'Use an HTTP header name such as "x-api-key" or ":path".');
    }
    checkKey('RateLimitDescriptor.requestHeader', 'descriptorKey', descriptorKey);
    return new RateLimitDescriptor(descriptorKey, undefined, { request_headers: { header_name: headerName, descriptor_key: descriptorKey } }, false);
  }

  /** The request path (`:path`, with its query string) under the key "PATH", as in Istio's rate-limit task. */
  public static path(): RateLimitDescriptor {
    return RateLimitDescriptor.requestHeader(':path', 'PATH');
  }

  /** A constant entry (`generic_key`): counts every request that reaches it under one counter. */
  public static genericKey(value: string, descriptorKey = 'generic_key'): RateLimitDescriptor {
    checkArgs('RateLimitDescriptor.genericKey', 'value', value, req('s'));
    checkArgs('RateLimitDescriptor.genericKey', 'descriptorKey', descriptorKey, 's');
    if (typeof value !== 'string' || value === '') fail('RateLimitDescriptor.genericKey', 'value', value, 'Give a non-empty descriptor value.');
    checkKey('RateLimitDescriptor.genericKey', 'descriptorKey', descriptorKey);
    const action = descriptorKey === 'generic_key'
      ? { generic_key: { descriptor_value: value } }
      : { generic_key: { descriptor_value: value, descriptor_key: descriptorKey } };
    return new RateLimitDescriptor(descriptorKey, value, action, false);
  }

  private _value?: string;
  private _limit?: { unit: RateLimitUnit; requestsPerUnit: number; shadowMode: boolean };
  private readonly _children: RateLimitDescriptor[] = [];

  private constructor(
    /** The configuration key. */
    public readonly key: string,
    value: string | undefined,
    private readonly action: Record<string, unknown>,
    /** Whether this entry is the client's address. */
    public readonly isRemoteAddress: boolean,
  ) {
    this._value = value;
  }

  /** The value this entry matches, when it matches one. */
  public get value(): string | undefined {
    return this._value;
  }

  /**
   * Matches only this value of the header or path (the configuration's `value`); other values fall
   * through to an entry of the same key without a value, when there is one.
   */
  public matching(value: string): RateLimitDescriptor {
    if (this.action.generic_key !== undefined) fail('RateLimitDescriptor.matching', 'value', value, 'A generic key already has its value: give it in genericKey(value).');
    if (this.isRemoteAddress) fail('RateLimitDescriptor.matching', 'value', value, 'Limit a single client address with an AuthorizationPolicy instead (allowSourceIps / denyRequests).');
    if (typeof value !== 'string' || value === '') fail('RateLimitDescriptor.matching', 'value', value, 'Give a non-empty value, for example "/api/login".');
    this._value = value;
    return this;
  }

  /** Allows `requestsPerUnit` requests per `unit` for each distinct chain of values ending here. */
  public limit(requestsPerUnit: number, unit: RateLimitUnit, options: DescriptorLimitOptions = {}): RateLimitDescriptor {
    if (!Number.isInteger(requestsPerUnit) || requestsPerUnit < 0) {
      fail(`RateLimitDescriptor(${this.key})`, 'limit.requestsPerUnit', requestsPerUnit, 'Use a whole number of requests (0 rejects every request).');
    }
    if (!Object.values(RateLimitUnit).includes(unit)) {
      fail(`RateLimitDescriptor(${this.key})`, 'limit.unit', unit, `Use one of ${Object.keys(RateLimitUnit).map((u) => `RateLimitUnit.${u}`).join(', ')}.`);
    }
    this._limit = { unit, requestsPerUnit, shadowMode: options.shadowMode ?? false };
    return this;
  }

  /** Nests longer chains under this entry: each child adds one entry after this one. */
  public nest(...children: RateLimitDescriptor[]): RateLimitDescriptor {
    children.forEach((c, i) => {
      if (!(c instanceof RateLimitDescriptor)) fail(`RateLimitDescriptor(${this.key})`, `nest[${i}]`, c, 'Nest RateLimitDescriptor.remoteAddress(), .requestHeader(...), .path() or .genericKey(...).');
    });
    this._children.push(...children);
    return this;
  }

  /**
   * Every chain from this entry to an entry with a limit, with `prefix` before it.
   * @internal
   */
  public _chains(scope: IConstruct, property: string, prefix: readonly RateLimitDescriptor[] = []): ActionChain[] {
    const path = [...prefix, this];
    if (path.length > 8) fail(scope, property, path.map((d) => d.key).join(' > '), 'Nest at most 8 entries deep.');
    if (!this._limit && this._children.length === 0) {
      fail(scope, property, this.key, 'This descriptor neither has a limit nor nested descriptors, so it limits nothing: add .limit(n, RateLimitUnit.MINUTE) or .nest(...).');
    }
    const own: ActionChain[] = this._limit ? [{
      actions: path.map((d) => d.renderAction()),
      entries: path.map((d) => (d._value === undefined ? { key: d.key } : { key: d.key, value: d._value })),
      limit: { ...this._limit },
      usesRemoteAddress: path.some((d) => d.isRemoteAddress),
    }] : [];
    return [...own, ...this._children.flatMap((c, i) => c._chains(scope, `${property}.nest[${i}]`, path))];
  }

  /**
   * The configuration entry (envoyproxy/ratelimit's format) of this descriptor and its children.
   * @internal
   */
  public _config(): RateLimitConfigDescriptor {
    return {
      key: this.key,
      ...(this._value === undefined ? {} : { value: this._value }),
      ...(this._limit ? { rate_limit: { unit: this._limit.unit, requests_per_unit: this._limit.requestsPerUnit } } : {}),
      ...(this._limit?.shadowMode ? { shadow_mode: true } : {}),
      ...(this._children.length ? { descriptors: this._children.map((c) => c._config()) } : {}),
    };
  }

  private renderAction(): Record<string, unknown> {
    // With matching(value) the action is unchanged: Envoy sends the header's value as it is, and the
    // configuration's `value` selects it.
    return this.action;
  }
}

function checkKey(where: string, property: string, key: string): void {
  if (typeof key !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(key)) fail(where, property, key, 'Use letters, digits, "_", "." or "-", for example "API_KEY".');
}

/**
 * Merges configuration entries of the same key and value at each level (the service refuses
 * duplicates); two different limits on the same entry are an error naming both.
 * @internal
 */
export function mergeConfigDescriptors(scope: IConstruct, property: string, entries: readonly RateLimitConfigDescriptor[]): RateLimitConfigDescriptor[] {
  const merged = new Map<string, RateLimitConfigDescriptor>();
  for (const e of entries) {
    const id = `${e.key}=${e.value ?? '*'}`;
    const seen = merged.get(id);
    if (!seen) {
      merged.set(id, e);
      continue;
    }
    const limitA = JSON.stringify([seen.rate_limit, seen.shadow_mode ?? false]);
    const limitB = JSON.stringify([e.rate_limit, e.shadow_mode ?? false]);
    if (seen.rate_limit && e.rate_limit && limitA !== limitB) {
      fail(scope, property, id, `It has two limits, ${limitA} and ${limitB}, but the rate-limit service holds one limit per descriptor: give this entry a single limit, or nest one of them under a genericKey to tell them apart.`);
    }
    const rateLimit = seen.rate_limit ?? e.rate_limit;
    const shadow = seen.rate_limit ? seen.shadow_mode : e.shadow_mode;
    const children = mergeConfigDescriptors(scope, `${property}.${id}`, [...(seen.descriptors ?? []), ...(e.descriptors ?? [])]);
    merged.set(id, {
      key: e.key,
      ...(e.value === undefined ? {} : { value: e.value }),
      ...(rateLimit ? { rate_limit: rateLimit } : {}),
      ...(shadow ? { shadow_mode: true } : {}),
      ...(children.length ? { descriptors: children } : {}),
    });
  }
  return [...merged.values()];
}
