import { validateDnsSubdomain } from './errors';

/**
 * Where an HTTPS server's certificate comes from. The Gateway's `credentialName` is derived from
 * it, so the secret's name is written once.
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 */
export class Certificate {
  /**
   * An existing `kubernetes.io/tls` Secret (keys `tls.crt`, `tls.key`, and `ca.crt` for mutual TLS)
   * in the namespace of the gateway workload.
   */
  public static fromSecret(secretName: string): Certificate {
    return new Certificate(validateDnsSubdomain('Certificate.fromSecret', 'secretName', secretName));
  }

  private constructor(
    /** The Secret the gateway reads: the Gateway server's `credentialName`. */
    public readonly credentialName: string,
  ) {}
}
