import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkDnsSubdomain } from '../common/validate';
import { SecretSource } from '../secrets/secret-source';

/** Where the CA bundle is mounted (read-only). */
const CA_BUNDLE_DIR = '/etc/mlflow/s3-ca';
/** The file name of the CA bundle inside that directory. */
const CA_BUNDLE_FILE = 'ca.crt';

/** How a CA bundle is mounted into a pod. */
export interface CaBundleMount {
  /** The pod volume. */
  readonly volume: k8s.Volume;
  /** Its read-only mount. */
  readonly mount: k8s.VolumeMount;
  /** Absolute path of the PEM file. */
  readonly path: string;
}

/**
 * PEM certificates of the CA that signed an S3-compatible endpoint's TLS certificate.
 * Choose a form with a static factory.
 */
export abstract class CaBundle {
  /**
   * A key of a ConfigMap that already exists in the namespace (CA certificates are not secret).
   * @param name the ConfigMap's name
   * @param key the key holding the PEM bundle; defaults to `ca.crt`
   */
  public static fromConfigMap(name: string, key: string = CA_BUNDLE_FILE): CaBundle {
    return new ConfigMapCaBundle(name, key);
  }

  /**
   * A key of a Secret (e.g. the `ca.crt` of a cert-manager Certificate Secret).
   * @param secret the Secret
   * @param key the key holding the PEM bundle; defaults to `ca.crt`
   */
  public static fromSecret(secret: SecretSource, key: string = CA_BUNDLE_FILE): CaBundle {
    return new SecretCaBundle(secret, key);
  }

  protected constructor(protected readonly key: string) {}

  /** @internal */
  public _mount(scope: IConstruct, prop: string, volumeName: string): CaBundleMount {
    if (typeof this.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(this.key)) {
      invalid(scope, `${prop}.key`, this.key, "must be a data key of letters, digits, '-', '_' and '.'");
    }
    return {
      volume: { name: volumeName, ...this._source(scope, prop) },
      mount: { name: volumeName, mountPath: CA_BUNDLE_DIR, readOnly: true },
      path: `${CA_BUNDLE_DIR}/${CA_BUNDLE_FILE}`,
    };
  }

  /** @internal */
  public abstract _source(scope: IConstruct, prop: string): Omit<k8s.Volume, 'name'>;
}

class ConfigMapCaBundle extends CaBundle {
  constructor(private readonly name: string, key: string) {
    super(key);
  }
  public _source(scope: IConstruct, prop: string): Omit<k8s.Volume, 'name'> {
    checkDnsSubdomain(scope, `${prop}.configMapName`, this.name);
    return { configMap: { name: this.name, items: [{ key: this.key, path: CA_BUNDLE_FILE }], defaultMode: 0o444 } };
  }
}

class SecretCaBundle extends CaBundle {
  constructor(private readonly secret: SecretSource, key: string) {
    super(key);
  }
  public _source(scope: IConstruct, prop: string): Omit<k8s.Volume, 'name'> {
    if (!(this.secret instanceof SecretSource)) invalid(scope, `${prop}.secret`, this.secret, 'must be a SecretSource');
    this.secret._bind(scope, `${prop}.secretName`);
    return { secret: { secretName: this.secret.secretName, items: [{ key: this.key, path: CA_BUNDLE_FILE }], defaultMode: 0o444 } };
  }
}
