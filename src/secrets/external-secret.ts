import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkDnsSubdomain, checkNonEmpty } from '../common/validate';
import { checkSecretDataKey, goDuration, renderSecretResource } from './secret-cr';

/** Kind of External Secrets Operator store. */
export enum SecretStoreKind {
  /** A store in the same namespace. */
  SECRET_STORE = 'SecretStore',
  /** A cluster-wide store. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/** The store an ExternalSecret reads from. */
export interface SecretStoreRef {
  /** Name of the store. */
  readonly name: string;
  /** Its kind. */
  readonly kind: SecretStoreKind;
}

/** Where one key's value lives in the external store. */
export interface RemoteRef {
  /** Key (path, secret name) in the provider. */
  readonly key: string;
  /**
   * Property inside a structured (JSON) secret.
   * @default the whole value
   */
  readonly property?: string;
  /**
   * Version of the remote secret.
   * @default the provider's current version
   */
  readonly version?: string;
}

/** A Secret synced by the External Secrets Operator from a store (Vault, AWS Secrets Manager, ...). */
export interface ExternalSecretOptions {
  /** Name of the ExternalSecret and of the Secret it creates. */
  readonly name: string;
  /** The store. */
  readonly storeRef: SecretStoreRef;
  /** Secret key → where its value lives in the store. */
  readonly data: Record<string, RemoteRef>;
  /**
   * How often the operator re-reads the store.
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
}

/** Validates the options and renders the ExternalSecret. */
export function renderExternalSecret(chart: Construct, scope: IConstruct, prop: string, o: ExternalSecretOptions): void {
  const store = o.storeRef;
  if (!store || typeof store !== 'object') invalid(scope, `${prop}.storeRef`, store, 'must be {name, kind}');
  checkDnsSubdomain(scope, `${prop}.storeRef.name`, store.name);
  if (store.kind !== 'SecretStore' && store.kind !== 'ClusterSecretStore') invalid(scope, `${prop}.storeRef.kind`, store.kind, "must be 'SecretStore' or 'ClusterSecretStore'");
  const entries = Object.entries(o.data ?? {});
  if (entries.length === 0) invalid(scope, `${prop}.data`, o.data, 'must map at least one Secret key to a remote reference');
  const data = entries.map(([k, ref]) => {
    checkSecretDataKey(scope, `${prop}.data key`, k);
    if (!ref || typeof ref !== 'object') invalid(scope, `${prop}.data[${k}]`, ref, 'must be {key, property?, version?}');
    checkNonEmpty(scope, `${prop}.data[${k}].key`, ref.key);
    if (ref.property !== undefined) checkNonEmpty(scope, `${prop}.data[${k}].property`, ref.property);
    if (ref.version !== undefined) checkNonEmpty(scope, `${prop}.data[${k}].version`, ref.version);
    return { secretKey: k, remoteRef: { key: ref.key, ...(ref.property ? { property: ref.property } : {}), ...(ref.version ? { version: ref.version } : {}) } };
  });
  const refresh = o.refreshInterval ?? Duration.hours(1);
  if (!(refresh instanceof Duration) || refresh.toSeconds() < 0 || !Number.isInteger(refresh.toSeconds())) {
    invalid(scope, `${prop}.refreshInterval`, refresh, 'must be a cdk8s Duration of whole seconds, e.g. Duration.hours(1)');
  }
  renderSecretResource(chart, scope, prop, {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    name: o.name,
    spec: {
      refreshInterval: goDuration(refresh.toSeconds()),
      secretStoreRef: { name: store.name, kind: store.kind },
      target: { name: o.name, creationPolicy: 'Owner' },
      data,
    },
  });
}
