import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkDnsSubdomain } from '../common/validate';
import { ExternalSecretOptions, renderExternalSecret } from './external-secret';
import { GeneratedPasswordOptions, renderGeneratedPassword } from './generated-password';
import { renderSealedSecret, SealedSecretOptions } from './sealed-secret';

/**
 * Where a Kubernetes Secret comes from. cdk8s-mlflow never renders secret data:
 * it references a Secret that exists in the cluster, or renders an object that
 * produces one there (see the other factories).
 */
export abstract class SecretSource {
  /**
   * A Secret that already exists in the target namespace (created with `kubectl create secret`,
   * by a controller, by Vault, ...). Nothing is rendered for it.
   * @param name the Secret's name
   */
  public static existing(name: string): SecretSource {
    return new ExistingSecret(name);
  }

  /**
   * A Secret sealed with `kubeseal` (Bitnami Sealed Secrets): renders a `bitnami.com/v1alpha1`
   * SealedSecret holding only the ciphertext; the controller in the cluster decrypts it.
   */
  public static sealed(options: SealedSecretOptions): SecretSource {
    return new ProducedSecret(options?.name, 'sealed', (chart, scope, prop) => renderSealedSecret(chart, scope, prop, options));
  }

  /**
   * A Secret synced by the External Secrets Operator from a store: renders an
   * `external-secrets.io/v1` ExternalSecret (store reference and remote keys only).
   */
  public static external(options: ExternalSecretOptions): SecretSource {
    return new ProducedSecret(options?.name, 'external', (chart, scope, prop) => renderExternalSecret(chart, scope, prop, options));
  }

  /**
   * A random password generated once in the cluster (External Secrets Operator `Password`
   * generator, `refreshPolicy: CreatedOnce`, immutable target). Its key is `options.key` (default `password`).
   */
  public static generatedPassword(options: GeneratedPasswordOptions): SecretSource {
    return new ProducedSecret(options?.name, 'generatedPassword', (chart, scope, prop) => renderGeneratedPassword(chart, scope, prop, options));
  }

  /** Name of the Kubernetes Secret that pods read. */
  public abstract readonly secretName: string;

  /**
   * Validates the source and renders whatever produces the Secret (nothing for an
   * existing Secret). Safe to call more than once: it renders once per scope's chart.
   * @internal
   */
  public abstract _bind(scope: IConstruct, prop: string): void;

  /** A key of this Secret. */
  public key(key: string): SecretKey {
    return new SecretKey(this, key);
  }
}

class ExistingSecret extends SecretSource {
  constructor(public readonly secretName: string) {
    super();
  }
  public _bind(scope: IConstruct, prop: string): void {
    checkDnsSubdomain(scope, prop, this.secretName);
  }
}

/** A Secret produced in the cluster by an object this library renders (once per chart). */
class ProducedSecret extends SecretSource {
  constructor(
    public readonly secretName: string,
    private readonly form: string,
    private readonly render: (chart: Construct, scope: IConstruct, prop: string) => void,
  ) {
    super();
  }
  public _bind(scope: IConstruct, prop: string): void {
    checkDnsSubdomain(scope, `${prop} (SecretSource.${this.form} name)`, this.secretName);
    renderOnce(scope, this, chart => this.render(chart, scope, prop));
  }
}

/** One key of a Secret, consumed through `secretKeyRef` (never copied into the manifest). */
export class SecretKey {
  /** A key of a Secret that already exists in the target namespace. */
  public static fromExisting(secretName: string, key: string): SecretKey {
    return SecretSource.existing(secretName).key(key);
  }

  /**
   * @param source the Secret
   * @param key the key inside it
   */
  constructor(public readonly source: SecretSource, public readonly key: string) {}

  /** Name of the Kubernetes Secret. */
  public get secretName(): string {
    return this.source.secretName;
  }

  /**
   * Validates the reference and renders the Secret's producer, if any.
   * @internal
   */
  public _bind(scope: IConstruct, prop: string): void {
    this.source._bind(scope, `${prop}.secretName`);
    if (typeof this.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(this.key)) {
      invalid(scope, `${prop}.key`, this.key, "must be a Secret data key of letters, digits, '-', '_' and '.'");
    }
  }

  /** An environment variable read from this key. */
  public toEnvVar(name: string): k8s.EnvVar {
    return { name, valueFrom: { secretKeyRef: { name: this.secretName, key: this.key } } };
  }
}

/** Renders `source`'s objects into the Chart of `scope`, once per chart however often it is bound. */
function renderOnce(scope: IConstruct, source: object, render: (chartScope: Construct) => void): void {
  const chart = Chart.of(scope);
  let seen = RENDERED.get(chart);
  if (!seen) RENDERED.set(chart, (seen = new WeakSet()));
  if (seen.has(source)) return;
  seen.add(source);
  render(chart);
}
const RENDERED = new WeakMap<object, WeakSet<object>>();
