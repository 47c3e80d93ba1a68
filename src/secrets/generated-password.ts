import { Construct, IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkInt } from '../common/validate';
import { checkSecretDataKey, renderSecretResource } from './secret-cr';

/** A random password generated once in the cluster by the External Secrets Operator. */
export interface GeneratedPasswordOptions {
  /** Name of the Secret (and of the ExternalSecret; the generator is `<name>-generator`). */
  readonly name: string;
  /**
   * Key of the password in the Secret.
   * @default 'password'
   */
  readonly key?: string;
  /**
   * Length.
   * @default 32
   */
  readonly length?: number;
  /**
   * Digits among them.
   * @default 8
   */
  readonly digits?: number;
  /**
   * Symbols among them (0 keeps the password safe in URIs, INI files and shells).
   * @default 0
   */
  readonly symbols?: number;
}

/**
 * Renders a `Password` generator and an ExternalSecret that materialises it once
 * (`refreshPolicy: CreatedOnce`) into an immutable Secret that outlives the ExternalSecret
 * (`creationPolicy: Orphan`), so a re-sync never rotates a password a database already uses.
 */
export function renderGeneratedPassword(chart: Construct, scope: IConstruct, prop: string, o: GeneratedPasswordOptions): void {
  const key = checkSecretDataKey(scope, `${prop}.key`, o.key ?? 'password');
  const length = checkInt(scope, `${prop}.length`, o.length ?? 32, 16, 128);
  const digits = checkInt(scope, `${prop}.digits`, o.digits ?? 8, 0, length);
  const symbols = checkInt(scope, `${prop}.symbols`, o.symbols ?? 0, 0, length);
  if (digits + symbols > length) invalid(scope, `${prop}.digits`, digits + symbols, `digits + symbols must not exceed the length (${length})`);
  const generator = `${o.name}-generator`;
  renderSecretResource(chart, scope, prop, {
    apiVersion: 'generators.external-secrets.io/v1alpha1',
    kind: 'Password',
    name: generator,
    spec: { length, digits, symbols, noUpper: false, allowRepeat: true },
  });
  renderSecretResource(chart, scope, prop, {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    name: o.name,
    spec: {
      refreshPolicy: 'CreatedOnce',
      target: { name: o.name, creationPolicy: 'Orphan', immutable: true },
      dataFrom: [{
        sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: generator } },
        rewrite: [{ regexp: { source: '^password$', target: key } }],
      }],
    },
  });
}
