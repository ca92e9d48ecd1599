import { IConstruct } from 'constructs';
import { fail } from './private/errors';
import { IRouteTarget } from './service-reference';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';

/** A destination of a route with its share of the traffic. */
export interface WeightedTarget {
  /** A service or one of its versions. */
  readonly to: IRouteTarget;
  /** Share of the route's requests, in percent; the shares of a route sum to 100. */
  readonly weight: number;
  /**
   * The Service port.
   * @default - the Service's only port (required when it has several)
   */
  readonly port?: number;
}

/** Options of a canary split. */
export interface CanaryOptions {
  /** Percent of the requests sent to the canary version (0-100). */
  readonly percent: number;
  /**
   * Requests with this header (exact value) always go to the canary, ahead of the split.
   * @default - no header override
   */
  readonly header?: { readonly name: string; readonly value: string };
  /**
   * The Service port.
   * @default - the Service's only port
   */
  readonly port?: number;
}

/** Requests sent to one destination ahead of a split (a canary's header override). */
export interface TrafficOverride {
  /** The header (exact value) that selects the override. */
  readonly header: { readonly name: string; readonly value: string };
  /** The index in `targets` of the destination the override sends to. */
  readonly target: number;
}

/**
 * Where a route sends its requests: one target, a weighted split, or a canary between two versions.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination
 */
export class Traffic {
  /** All requests to one service or version. */
  public static to(target: IRouteTarget, options: { readonly port?: number } = {}): Traffic {
    checkArgs('Traffic.to', 'target', target, req('o'));
    checkArgs('Traffic.to', 'options', options, { port: 'n' });
    return new Traffic([{ to: target, weight: 100, port: options?.port }]);
  }

  /** A weighted split; the weights must sum to 100. */
  public static split(targets: WeightedTarget[]): Traffic {
    checkArgs('Traffic.split', 'targets', targets, req(['l', SHAPES.WeightedTarget]));
    return new Traffic(Array.isArray(targets) ? [...targets] : targets);
  }

  /**
   * Splits between a stable and a canary version of the same service by percentage (for example
   * 90/10), optionally sending requests that carry a header to the canary.
   */
  public static canary(stable: IRouteTarget, canary: IRouteTarget, options: CanaryOptions): Traffic {
    checkArgs('Traffic.canary', 'stable', stable, req('o'));
    checkArgs('Traffic.canary', 'canary', canary, req('o'));
    checkArgs('Traffic.canary', 'options', options, req(SHAPES.CanaryOptions));
    return new CanaryTraffic(stable, canary, options);
  }

  protected constructor(
    /** The destinations and their weights. */
    public readonly targets: readonly WeightedTarget[],
  ) {}

  /**
   * Checks what only this kind of traffic knows (the route checks targets and weights).
   * @internal
   */
  public _check(_scope: IConstruct, _property: string): void {
    // A plain target or split has nothing beyond its targets to check.
  }

  /**
   * Called by the route that renders this traffic: an AppRoute and the name of its HTTP route
   * (undefined for a TCP or TLS route). Traffic that a controller shifts (a progressive rollout's)
   * records where it is used.
   * @internal
   */
  public _bind(_route: IConstruct, _property: string, _routeName: string | undefined): void {
    // Fixed traffic needs no record of its routes.
  }

  /**
   * The requests sent to one target ahead of the split, if any.
   * @internal
   */
  public _override(): TrafficOverride | undefined {
    return undefined;
  }
}

class CanaryTraffic extends Traffic {
  public constructor(private readonly stable: IRouteTarget, private readonly canaryTarget: IRouteTarget, private readonly options: CanaryOptions) {
    super([
      { to: stable, weight: 100 - (options?.percent ?? NaN), port: options?.port },
      { to: canaryTarget, weight: options?.percent ?? NaN, port: options?.port },
    ]);
  }

  public _check(scope: IConstruct, property: string): void {
    const percent = this.options?.percent;
    if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 0 || percent > 100) {
      fail(scope, `${property}.percent`, percent, 'Give the canary\'s share as a whole percentage between 0 and 100, for example 10.');
    }
    const stable = this.stable;
    const canary = this.canaryTarget;
    if (!stable?.routableService || !canary?.routableService || stable.routableService !== canary.routableService
      || !stable.subset || !canary.subset || stable.subset === canary.subset) {
      fail(scope, property, `canary(${stable?.node?.path}, ${canary?.node?.path})`,
        'A canary splits between two different versions of the same VersionedService: pass service.version("v1") and service.version("v2").');
    }
    const header = this.options.header;
    if (header !== undefined) {
      if (typeof header?.name !== 'string' || !/^[a-z0-9-]+$/.test(header.name)) fail(scope, `${property}.header.name`, header?.name, 'Use a lower-case HTTP header name, for example "x-canary".');
      if (typeof header.value !== 'string') fail(scope, `${property}.header.value`, header.value, 'Give the header\'s exact value as a string, for example "true".');
    }
  }

  public _override(): TrafficOverride | undefined {
    return this.options.header ? { header: this.options.header, target: 1 } : undefined;
  }
}
