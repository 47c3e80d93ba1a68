import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkDnsSubdomain } from '../common/validate';
import { SecretKey } from '../secrets/secret-source';

/** Where the CA bundle is mounted in every container that talks to the database. */
const POSTGRES_CA_DIR = '/etc/mlflow/postgres-ca';
/** The file libpq reads (PGSSLROOTCERT). */
export const POSTGRES_CA_FILE = `${POSTGRES_CA_DIR}/ca.crt`;
const VOLUME = 'postgres-ca';
const KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * The CA bundle that signs the database server's certificate (for `sslmode` verify-ca and
 * verify-full), e.g. the AWS RDS global bundle. It is mounted read-only and libpq reads it
 * through `PGSSLROOTCERT`.
 */
export class PostgresCa {
  /**
   * A key of a ConfigMap that exists in the namespace (a CA bundle is public data).
   * @param name ConfigMap name
   * @param key key holding the PEM bundle
   */
  public static fromConfigMap(name: string, key: string = 'ca.crt'): PostgresCa {
    return new PostgresCa('configMap', name, key);
  }

  /**
   * A key of a Secret that exists in the namespace.
   * @param secretKey the Secret and key holding the PEM bundle
   */
  public static fromSecret(secretKey: SecretKey): PostgresCa {
    return new PostgresCa('secret', secretKey.secretName, secretKey.key, secretKey);
  }

  private constructor(
    private readonly kind: 'configMap' | 'secret',
    private readonly name: string,
    private readonly key: string,
    private readonly secretKey?: SecretKey,
  ) {}

  /**
   * Validates the reference.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.secretKey) {
      this.secretKey._bind(scope, prop);
      return;
    }
    checkDnsSubdomain(scope, `${prop}.configMapName`, this.name);
    if (typeof this.key !== 'string' || !KEY.test(this.key)) invalid(scope, `${prop}.key`, this.key, "must be a ConfigMap key of letters, digits, '-', '_' and '.'");
  }

  /** The read-only volume holding the bundle as `ca.crt`. */
  public toVolume(): k8s.Volume {
    const items = [{ key: this.key, path: 'ca.crt' }];
    return this.kind === 'secret'
      ? { name: VOLUME, secret: { secretName: this.name, items, defaultMode: 0o444 } }
      : { name: VOLUME, configMap: { name: this.name, items, defaultMode: 0o444 } };
  }

  /** Its mount. */
  public toVolumeMount(): k8s.VolumeMount {
    return { name: VOLUME, mountPath: POSTGRES_CA_DIR, readOnly: true };
  }
}
