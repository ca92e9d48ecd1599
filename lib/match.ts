import { fail } from './private/errors';
import { validateRe2 } from './private/re2';
import { checkArgs, req } from './private/args';

/**
 * How a string in a request (a header, a query parameter, the authority) is matched.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch
 */
export class StringMatch {
  /** Equal to `value`. */
  public static exact(value: string): StringMatch {
    checkArgs('StringMatch.exact', 'value', value, req('s'));
    return new StringMatch({ exact: value });
  }

  /** Starts with `value`. */
  public static prefix(value: string): StringMatch {
    checkArgs('StringMatch.prefix', 'value', value, req('s'));
    // Envoy's StringMatcher.prefix has min_len 1: an empty prefix is NACKed by every proxy.
    if (value === '') fail('StringMatch.prefix', 'value', value, 'Envoy refuses an empty prefix: use StringMatch.present() to match any value of a present header.');
    return new StringMatch({ prefix: value });
  }

  /** Matches the RE2 regular expression `pattern` (whole string). */
  public static regex(pattern: string): StringMatch {
    checkArgs('StringMatch.regex', 'pattern', pattern, req('s'));
    checkRegex('StringMatch.regex', pattern);
    return new StringMatch({ regex: pattern });
  }

  /**
   * Present, with any value (Istio's empty match `{}`). Under `withoutHeaders`: the header is absent.
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
   */
  public static present(): StringMatch {
    return new StringMatch({});
  }

  private constructor(/** @internal */ public readonly _json: { exact?: string; prefix?: string; regex?: string }) {}
}

/**
 * How the request path is matched.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export class PathMatch {
  /** Paths starting with `prefix` ("/" matches every path). */
  public static prefix(prefix: string): PathMatch {
    checkArgs('PathMatch.prefix', 'prefix', prefix, req('s'));
    checkPath('PathMatch.prefix', prefix);
    return new PathMatch({ prefix });
  }

  /** Exactly `path`. */
  public static exact(path: string): PathMatch {
    checkArgs('PathMatch.exact', 'path', path, req('s'));
    checkPath('PathMatch.exact', path);
    return new PathMatch({ exact: path });
  }

  /** Paths matching the RE2 regular expression `pattern` (whole path). */
  public static regex(pattern: string): PathMatch {
    checkArgs('PathMatch.regex', 'pattern', pattern, req('s'));
    checkRegex('PathMatch.regex', pattern);
    return new PathMatch({ regex: pattern });
  }

  private constructor(/** @internal */ public readonly _json: { exact?: string; prefix?: string; regex?: string }) {}
}

/** HTTP methods. */
export enum HttpMethod {
  GET = 'GET',
  HEAD = 'HEAD',
  POST = 'POST',
  PUT = 'PUT',
  PATCH = 'PATCH',
  DELETE = 'DELETE',
  OPTIONS = 'OPTIONS',
  CONNECT = 'CONNECT',
  TRACE = 'TRACE',
}

function checkPath(where: string, path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path)) {
    fail(where, 'path', path, 'Use a path that starts with "/" and has no spaces, for example "/api".');
  }
}

function checkRegex(where: string, pattern: string): void {
  validateRe2(where, 'pattern', pattern);
}
