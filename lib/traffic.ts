import { IRouteTarget } from './destination';

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

/**
 * Where a route sends its requests: one target, a weighted split, or a canary between two versions.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination
 */
export class Traffic {
  /** All requests to one service or version. */
  public static to(target: IRouteTarget, options: { readonly port?: number } = {}): Traffic {
    return new Traffic([{ to: target, weight: 100, port: options.port }]);
  }

  /** A weighted split; the weights must sum to 100. */
  public static split(targets: WeightedTarget[]): Traffic {
    return new Traffic([...targets]);
  }

  /**
   * Splits between a stable and a canary version of the same service by percentage (for example
   * 90/10), optionally sending requests that carry a header to the canary.
   */
  public static canary(stable: IRouteTarget, canary: IRouteTarget, options: CanaryOptions): Traffic {
    return new Traffic([
      { to: stable, weight: 100 - options.percent, port: options.port },
      { to: canary, weight: options.percent, port: options.port },
    ], { stable, canary, options });
  }

  private constructor(
    /** The destinations and their weights. */
    public readonly targets: readonly WeightedTarget[],
    /** Set for a canary split. */
    public readonly canary?: { readonly stable: IRouteTarget; readonly canary: IRouteTarget; readonly options: CanaryOptions },
  ) {}
}
