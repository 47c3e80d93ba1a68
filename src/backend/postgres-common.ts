import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkImage } from '../common/image';
import { SecretKey } from '../secrets/secret-source';

/** The PostgreSQL port every form defaults to. */
export const POSTGRES_PORT = 5432;

/**
 * Pinned official `postgres` images (Debian bookworm variant: it ships `libnss-wrapper`, which
 * the entrypoint uses to run `initdb` under a UID that has no `/etc/passwd` entry).
 */
export const POSTGRES_IMAGES: Record<number, string> = {
  16: 'postgres:16.13-bookworm',
  17: 'postgres:17.9-bookworm',
};

/** The PostgreSQL major version used when none is given. */
const DEFAULT_POSTGRES_MAJOR = 17;

/** The image of a major version, or a user-given pinned image (which wins). */
export function postgresImage(scope: IConstruct, prop: string, major: number | undefined, image: string | undefined): string {
  if (image !== undefined) return checkImage(scope, `${prop}.image`, image);
  const m = major ?? DEFAULT_POSTGRES_MAJOR;
  const ref = POSTGRES_IMAGES[m];
  if (!ref) invalid(scope, `${prop}.postgresMajor`, major, `must be one of ${Object.keys(POSTGRES_IMAGES).join(', ')} (or pass a pinned image)`);
  return ref;
}

/** libpq `sslmode` values. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

/** A libpq `sslmode` value. */
export type PostgresSslMode = typeof SSL_MODES[number];

/** Validates an `sslmode`. */
export function checkSslMode(scope: IConstruct, prop: string, value: string): PostgresSslMode {
  if (!(SSL_MODES as readonly string[]).includes(value)) invalid(scope, prop, value, `must be one of ${SSL_MODES.join(', ')}`);
  return value as PostgresSslMode;
}

// Unquoted identifiers only: no case folding surprises, nothing that needs quoting in a shell.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A PostgreSQL role or database name: lower-case, at most 63 characters. */
export function checkPgIdentifier(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    invalid(scope, prop, value, "must be a PostgreSQL identifier: 1-63 characters of a-z, 0-9 and '_', not starting with a digit");
  }
  return value;
}


/** A role name given plain or from a Secret key (never both), as the value and as an env var. */
export interface PgRole {
  /** The role: its name, or the Secret key that holds it. */
  readonly role: string | SecretKey;
  /** The environment variable carrying it. */
  readonly env: k8s.EnvVar;
}

/**
 * Resolves a role prop pair (`<plainProp>` / `<secretProp>`): refuses both, validates the plain
 * name as a PostgreSQL identifier, binds the Secret key.
 */
export function pgRole(scope: IConstruct, plainProp: string, plain: string | undefined, secretProp: string, secret: SecretKey | undefined, fallback: string, envName: string): PgRole {
  if (plain !== undefined && secret !== undefined) invalid(scope, secretProp, '(SecretKey)', `cannot be combined with ${plainProp}: give the role name one way`);
  if (secret !== undefined) {
    secret._bind(scope, secretProp);
    return { role: secret, env: secret.toEnvVar(envName) };
  }
  const name = checkPgIdentifier(scope, plainProp, plain ?? fallback);
  return { role: name, env: { name: envName, value: name } };
}
