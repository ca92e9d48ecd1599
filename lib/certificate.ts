import * as path from 'node:path';
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from './private/errors';
import { GUID, validateDnsSubdomain } from './private/validate';
import { validateHost } from './contract/hosts';
import { checkArgs, req } from './private/args';
import { SHAPES } from './private/arg-shapes';
import { WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION, WORKLOAD_IDENTITY_USE_LABEL } from './contract/keys';

/** The kind of cert-manager issuer. */
export enum IssuerKind {
  /** A cluster-wide issuer (for example Let's Encrypt via ACME). */
  CLUSTER_ISSUER = 'ClusterIssuer',
  /** An issuer in the gateway's namespace. */
  ISSUER = 'Issuer',
}

/** Options of a certificate kept in Azure Key Vault. */
export interface KeyVaultCertificateOptions {
  /** The Key Vault's name. */
  readonly vaultName: string;
  /** The certificate's name in the vault. */
  readonly certificateName: string;
  /** The Entra ID tenant of the vault. */
  readonly tenantId: string;
  /**
   * The client ID of the user-assigned identity the gateway authenticates as (workload identity),
   * which has "Key Vault Secrets User" on the vault (the Pulumi program creates it and outputs its ID).
   */
  readonly clientId: string;
  /**
   * The Kubernetes Secret the certificate is synced into (the Gateway's credentialName).
   * @default - the certificate's name
   */
  readonly secretName?: string;
}

/** Options of a certificate issued by cert-manager. */
export interface CertManagerCertificateOptions {
  /** The issuer's name. */
  readonly issuerName: string;
  /**
   * The issuer's kind.
   * @default IssuerKind.CLUSTER_ISSUER
   */
  readonly issuerKind?: IssuerKind;
  /** The Secret cert-manager writes (the Gateway's credentialName). */
  readonly secretName: string;
  /**
   * The names on the certificate.
   * @default - the gateway's hosts
   */
  readonly dnsNames?: string[];
}

/**
 * Options of a certificate the gateway proxy reads from files (the mode gateways used before SDS):
 * the server's `serverCertificate`, `privateKey` and `caCertificates`.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export interface FileCertificateOptions {
  /** Absolute path of the PEM server certificate in the gateway pods (`tls.serverCertificate`). */
  readonly serverCertificate: string;
  /** Absolute path of the PEM private key in the gateway pods (`tls.privateKey`). */
  readonly privateKey: string;
  /**
   * Absolute path of the CA bundle that verifies client certificates (`tls.caCertificates`):
   * required with MUTUAL and OPTIONAL_MUTUAL, as Istio's validation says.
   * @default - none
   */
  readonly caCertificates?: string;
  /**
   * A Secret the package mounts in the gateway pods it deploys, at the folder of the files (which
   * must then be one folder, the files named as the Secret's keys), as Istio's old
   * `istio-ingressgateway-certs` mount at /etc/istio/ingressgateway-certs did.
   * @default - none: the gateway's own deployment provides the files
   */
  readonly mountSecret?: string;
}

/**
 * The TLS fields a certificate gives a Gateway server.
 * @internal
 */
export interface ServerCertificateFields {
  readonly credentialName?: string;
  readonly serverCertificate?: string;
  readonly privateKey?: string;
  readonly caCertificates?: string;
}

/** What a certificate source adds to the gateway pods. */
export interface CertificateWorkloadChanges {
  /** Pod volumes. */
  readonly volumes: object[];
  /** Volume mounts of the proxy container. */
  readonly volumeMounts: object[];
  /** Annotations of the pods' service account. */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** Pod labels. */
  readonly podLabels: Record<string, string>;
  /**
   * The Key Vault certificates the pods read (through workload identity), with the
   * SecretProviderClass that names each.
   * @default - none
   */
  readonly keyVaults?: readonly KeyVaultUse[];
}

/**
 * A Key Vault certificate a gateway's pods read, as the app was given it.
 * @internal
 */
export interface KeyVaultUse {
  /** The vault's name. */
  readonly vaultName: string;
  /** The identity's client ID. */
  readonly clientId: string;
  /** The tenant ID. */
  readonly tenantId: string;
  /** The SecretProviderClass that names them. */
  readonly secretProviderClass: ApiObject;
}

/**
 * The gateway a certificate is bound to.
 * @internal
 */
export interface CertificateBinding {
  /** Namespace of the gateway pods (where the Secret must be). */
  readonly namespace: string;
  /** The gateway's hosts (read at synth time). */
  readonly hosts: () => readonly string[];
  /** Whether the package deploys the gateway pods (so it can mount volumes in them). */
  readonly deploysPods: boolean;
}

/**
 * Where an HTTPS server's certificate comes from. The Gateway's `credentialName` is derived from
 * it, so the secret's name is written once.
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 */
export abstract class Certificate {
  /**
   * An existing `kubernetes.io/tls` Secret (keys `tls.crt`, `tls.key`, and `ca.crt` for mutual TLS)
   * in the namespace of the gateway workload.
   */
  public static fromSecret(secretName: string): Certificate {
    checkArgs('Certificate.fromSecret', 'secretName', secretName, req('s'));
    return new SecretCertificate(validateDnsSubdomain('Certificate.fromSecret', 'secretName', secretName));
  }

  /**
   * A certificate in Azure Key Vault, synced into a `kubernetes.io/tls` Secret by the AKS Key Vault
   * Secrets Provider add-on (with rotation): a SecretProviderClass, and the CSI volume mounted by
   * the gateway pods (the sync happens when a pod mounts it), authenticated by workload identity.
   * @see https://learn.microsoft.com/azure/aks/csi-secrets-store-identity-access
   */
  public static fromKeyVault(options: KeyVaultCertificateOptions): Certificate {
    checkArgs('Certificate.fromKeyVault', 'options', options, req(SHAPES.KeyVaultCertificateOptions));
    const where = 'Certificate.fromKeyVault';
    if (options === null || typeof options !== 'object') fail(where, 'options', options, 'Pass { vaultName, certificateName, tenantId, clientId }.');
    if (!/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(options.vaultName ?? '')) fail(where, 'vaultName', options.vaultName, 'Use a Key Vault name: 3-24 letters, digits and "-".');
    if (!/^[a-zA-Z0-9-]{1,127}$/.test(options.certificateName ?? '')) fail(where, 'certificateName', options.certificateName, 'Use the certificate\'s name in the vault: letters, digits and "-".');
    if (!GUID.test(options.tenantId ?? '')) fail(where, 'tenantId', options.tenantId, 'Use the tenant ID (a GUID): az account show --query tenantId.');
    if (!GUID.test(options.clientId ?? '')) fail(where, 'clientId', options.clientId, 'Use the client ID (a GUID) of the gateway\'s user-assigned identity (Pulumi output gatewayIdentityClientId).');
    const secretName = validateDnsSubdomain(where, 'secretName', options.secretName ?? options.certificateName.toLowerCase());
    return new KeyVaultCertificate(secretName, options);
  }

  /** A certificate issued and renewed by cert-manager (for example from Let's Encrypt). */
  public static fromCertManager(options: CertManagerCertificateOptions): Certificate {
    checkArgs('Certificate.fromCertManager', 'options', options, req(SHAPES.CertManagerCertificateOptions));
    const where = 'Certificate.fromCertManager';
    if (options === null || typeof options !== 'object') fail(where, 'options', options, 'Pass { issuerName, secretName }.');
    validateDnsSubdomain(where, 'issuerName', options.issuerName);
    options.dnsNames?.forEach((d, i) => validateHost(where, `dnsNames[${i}]`, d, false));
    return new CertManagerCertificate(validateDnsSubdomain(where, 'secretName', options.secretName), options);
  }

  /**
   * Files in the gateway pods (`serverCertificate`, `privateKey`, `caCertificates` on the server),
   * instead of a Secret read through SDS: the mode gateways used before SDS, still used by
   * gateways that mount their certificates.
   */
  public static fromFiles(options: FileCertificateOptions): Certificate {
    checkArgs('Certificate.fromFiles', 'options', options, req(SHAPES.FileCertificateOptions));
    const where = 'Certificate.fromFiles';
    if (options === null || typeof options !== 'object') fail(where, 'options', options, 'Pass { serverCertificate, privateKey, caCertificates? } (absolute paths in the gateway pods).');
    const file = (key: 'serverCertificate' | 'privateKey' | 'caCertificates'): string | undefined => {
      const v = options[key];
      if (v === undefined && key === 'caCertificates') return undefined;
      if (typeof v !== 'string' || !path.posix.isAbsolute(v) || v.endsWith('/') || /\s/.test(v)) fail(where, key, v, 'Give the absolute path of a PEM file in the gateway pods, for example "/etc/istio/ingressgateway-certs/tls.crt".');
      return v;
    };
    const files = { serverCertificate: file('serverCertificate'), privateKey: file('privateKey'), caCertificates: file('caCertificates') };
    if (options.mountSecret !== undefined) {
      validateDnsSubdomain(where, 'mountSecret', options.mountSecret);
      const folders = new Set(Object.values(files).filter((f): f is string => f !== undefined).map((f) => path.posix.dirname(f)));
      if (folders.size !== 1) fail(where, 'mountSecret', options.mountSecret, `The Secret is mounted at one folder, but the files are in ${[...folders].join(', ')}: put them in one folder, or mount them yourself.`);
    }
    return new FileCertificate(files, options.mountSecret);
  }

  protected constructor(
    /**
     * The Secret the gateway reads: the Gateway server's `credentialName`; undefined for
     * certificates read from files ({@link Certificate.fromFiles}).
     */
    public readonly credentialName: string | undefined,
  ) {}

  /**
   * The server's TLS fields.
   * @internal
   */
  public _serverFields(): ServerCertificateFields {
    return { credentialName: this.credentialName };
  }

  /**
   * Creates the objects that provide the Secret, in the gateway workload's namespace, and returns
   * what the gateway pods need.
   * @internal
   */
  public abstract _bind(scope: Construct, gateway: CertificateBinding): CertificateWorkloadChanges;
}

const NO_CHANGES: CertificateWorkloadChanges = { volumes: [], volumeMounts: [], serviceAccountAnnotations: {}, podLabels: {} };

class SecretCertificate extends Certificate {
  public _bind(): CertificateWorkloadChanges {
    return NO_CHANGES;
  }
}

class KeyVaultCertificate extends Certificate {
  public constructor(credentialName: string, private readonly keyVault: KeyVaultCertificateOptions) {
    super(credentialName);
  }

  public _bind(scope: Construct, gateway: CertificateBinding): CertificateWorkloadChanges {
    if (!gateway.deploysPods) {
      fail(scope, 'https.certificate', 'Certificate.fromKeyVault(...)', 'The Key Vault sync needs the CSI volume mounted by the gateway pods, which the app does not deploy here: sync the Secret in the gateway\'s own deployment, or use Certificate.fromSecret.');
    }
    const kv = this.keyVault;
    const spc = `${this.credentialName}-keyvault`;
    const secretProviderClass = new ApiObject(scope, 'KeyVaultCertificate', {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: spc, namespace: gateway.namespace },
      spec: {
        provider: 'azure',
        secretObjects: [{
          secretName: this.credentialName,
          type: 'kubernetes.io/tls',
          // A Key Vault certificate read as a secret is the PEM key and chain, split into the two keys.
          data: [{ objectName: kv.certificateName, key: 'tls.key' }, { objectName: kv.certificateName, key: 'tls.crt' }],
        }],
        parameters: {
          usePodIdentity: 'false',
          clientID: kv.clientId,
          keyvaultName: kv.vaultName,
          tenantId: kv.tenantId,
          objects: `array:\n  - |\n    objectName: ${kv.certificateName}\n    objectType: secret\n`,
        },
      },
    });
    return {
      volumes: [{ name: 'keyvault-certificate', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spc } } }],
      volumeMounts: [{ name: 'keyvault-certificate', mountPath: '/mnt/secrets-store/certificate', readOnly: true }],
      serviceAccountAnnotations: { [WORKLOAD_IDENTITY_CLIENT_ID_ANNOTATION]: kv.clientId },
      podLabels: { [WORKLOAD_IDENTITY_USE_LABEL]: 'true' },
      keyVaults: [{ vaultName: kv.vaultName, clientId: kv.clientId, tenantId: kv.tenantId, secretProviderClass }],
    };
  }
}

class CertManagerCertificate extends Certificate {
  public constructor(credentialName: string, private readonly certManager: CertManagerCertificateOptions) {
    super(credentialName);
  }

  public _bind(scope: Construct, gateway: CertificateBinding): CertificateWorkloadChanges {
    const cm = this.certManager;
    const dnsNames: unknown = cm.dnsNames ?? Lazy.any({ produce: () => [...gateway.hosts()] });
    new ApiObject(scope, 'CertManagerCertificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: this.credentialName, namespace: gateway.namespace },
      spec: {
        secretName: this.credentialName,
        dnsNames,
        issuerRef: { name: cm.issuerName, kind: cm.issuerKind ?? IssuerKind.CLUSTER_ISSUER, group: 'cert-manager.io' },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      },
    });
    return NO_CHANGES;
  }
}

class FileCertificate extends Certificate {
  public constructor(private readonly files: { serverCertificate?: string; privateKey?: string; caCertificates?: string }, private readonly mountSecret?: string) {
    super(undefined);
  }

  public _serverFields(): ServerCertificateFields {
    return { ...this.files };
  }

  public _bind(_scope: Construct, gateway: CertificateBinding): CertificateWorkloadChanges {
    if (!this.mountSecret || !gateway.deploysPods) return NO_CHANGES;
    const volume = `certs-${this.mountSecret}`.slice(0, 63).replace(/-+$/, '');
    return {
      volumes: [{ name: volume, secret: { secretName: this.mountSecret, optional: true } }],
      volumeMounts: [{ name: volume, mountPath: path.posix.dirname(this.files.serverCertificate!), readOnly: true }],
      serviceAccountAnnotations: {},
      podLabels: {},
    };
  }
}
