import { Construct, IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkAnnotations, checkLabels } from '../common/validate';
import { checkSecretDataKey, renderSecretResource } from './secret-cr';

/** Who may decrypt a SealedSecret (the scope it was sealed with: `kubeseal --scope`). */
export enum SealedSecretScope {
  /** Only as this name in this namespace (kubeseal's default). */
  STRICT = 'strict',
  /** Under any name in this namespace. */
  NAMESPACE_WIDE = 'namespace-wide',
  /** Under any name in any namespace. */
  CLUSTER_WIDE = 'cluster-wide',
}

/** A Secret sealed with `kubeseal` (Bitnami Sealed Secrets). */
export interface SealedSecretOptions {
  /** Name of the SealedSecret and of the Secret the controller creates. */
  readonly name: string;
  /**
   * Ciphertext per key, exactly as `kubeseal --raw` (or `kubeseal -o yaml`) printed it. Never
   * the plain value: anything that is not a plausible ciphertext is refused.
   */
  readonly encryptedData: Record<string, string>;
  /**
   * The scope the values were sealed with.
   * @default SealedSecretScope.STRICT
   */
  readonly scope?: SealedSecretScope;
  /**
   * Type of the created Secret.
   * @default 'Opaque'
   */
  readonly type?: string;
  /**
   * Labels of the created Secret.
   * @default none
   */
  readonly secretLabels?: Record<string, string>;
  /**
   * Annotations of the created Secret.
   * @default none
   */
  readonly secretAnnotations?: Record<string, string>;
}

// kubeseal output is base64 of (2-byte length + RSA-OAEP session key (>= 256 bytes) + AES-GCM data).
const MIN_CIPHERTEXT_BYTES = 256 + 2 + 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Validates the options and renders the SealedSecret. */
export function renderSealedSecret(chart: Construct, scope: IConstruct, prop: string, o: SealedSecretOptions): void {
  const data = o.encryptedData;
  if (!data || typeof data !== 'object' || Object.keys(data).length === 0) {
    invalid(scope, `${prop}.encryptedData`, '(missing)', 'must map at least one key to its kubeseal ciphertext');
  }
  for (const [k, v] of Object.entries(data)) {
    checkSecretDataKey(scope, `${prop}.encryptedData key`, k);
    // The value is never echoed: if it is not a ciphertext it may well be a plain password.
    if (typeof v !== 'string' || v.trim().length === 0) {
      invalid(scope, `${prop}.encryptedData[${k}]`, '(empty)', 'must be the ciphertext kubeseal printed for this key (kubeseal --raw)');
    }
    if (!BASE64.test(v) || v.length % 4 !== 0 || Buffer.from(v, 'base64').length < MIN_CIPHERTEXT_BYTES) {
      invalid(scope, `${prop}.encryptedData[${k}]`, '(value hidden)', `is not a kubeseal ciphertext (base64 of at least ${MIN_CIPHERTEXT_BYTES} bytes); seal the value with kubeseal --raw, never pass it in plain text`);
    }
  }
  const sealScope = o.scope ?? SealedSecretScope.STRICT;
  if (!Object.values(SealedSecretScope).includes(sealScope)) invalid(scope, `${prop}.scope`, sealScope, `must be one of ${Object.values(SealedSecretScope).join(', ')}`);
  const secretLabels = checkLabels(scope, `${prop}.secretLabels`, o.secretLabels);
  const secretAnnotations = checkAnnotations(scope, `${prop}.secretAnnotations`, o.secretAnnotations);
  const annotations: Record<string, string> = {};
  if (sealScope === SealedSecretScope.NAMESPACE_WIDE) annotations['sealedsecrets.bitnami.com/namespace-wide'] = 'true';
  if (sealScope === SealedSecretScope.CLUSTER_WIDE) annotations['sealedsecrets.bitnami.com/cluster-wide'] = 'true';
  renderSecretResource(chart, scope, prop, {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    name: o.name,
    annotations,
    spec: {
      encryptedData: { ...data },
      template: {
        metadata: {
          name: o.name,
          ...(Object.keys(secretLabels).length ? { labels: secretLabels } : {}),
          ...(Object.keys(secretAnnotations).length ? { annotations: secretAnnotations } : {}),
        },
        type: o.type ?? 'Opaque',
      },
    },
  });
}
