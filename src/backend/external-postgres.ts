import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BackendStoreBinding, IBackendStore, StoreBindOptions } from './backend-store';
import { PostgresBootstrapJob, PostgresBootstrapOptions } from './postgres-bootstrap-job';
import { POSTGRES_CA_FILE, PostgresCa } from './postgres-ca';
import { checkPgIdentifier, checkSslMode, pgRole, POSTGRES_PORT } from './postgres-common';
import { checkNetworkCidr, isIpv4, PRIVATE_IPV4_RANGES } from '../network/cidr';
import { invalid } from '../common/errors';
import { checkHostname, checkPort } from '../common/validate';
import { EgressRule, NetworkPeer } from '../network/network-peer';
import { SecretKey } from '../secrets/secret-source';

/** The environment variable that carries a whole backend URI read from a Secret. */
const BACKEND_URI_ENV = 'MLFLOW_BACKEND_STORE_URI';

/**
 * An external PostgreSQL, in one of two forms (exactly one):
 * - **host form**: `host` (+ `port`, `database`, `user`) and `password` from a Secret key; the
 *   server gets libpq `PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD` and the credential-free URI
 *   `postgresql+psycopg2://`;
 * - **URI form**: `uri`, a Secret key holding the whole SQLAlchemy URI.
 */
export interface ExternalPostgresOptions {
  /**
   * URI form: a Secret key holding the whole SQLAlchemy URI (`postgresql+psycopg2://user:pass@host:5432/db`,
   * special characters percent-encoded). It reaches the server as an environment variable, never as an argument.
   * @default host form
   */
  readonly uri?: SecretKey;
  /**
   * Host form: the database host name or IPv4 address (e.g. the RDS endpoint).
   * @default URI form
   */
  readonly host?: string;
  /**
   * Database port (PGPORT in the host form; the NetworkPolicy port in both forms).
   * @default 5432
   */
  readonly port?: number;
  /**
   * Host form: the database.
   * @default 'mlflow'
   */
  readonly database?: string;
  /**
   * Host form: the role MLflow connects as.
   * @default 'mlflow' (unless `userSecret` is set)
   */
  readonly user?: string;
  /**
   * Host form: a Secret key holding the role name, instead of `user`.
   * @default the plain `user`
   */
  readonly userSecret?: SecretKey;
  /**
   * Host form (required there): the Secret key holding the role's password.
   * @default none: the URI form carries it inside the `uri` Secret key
   */
  readonly password?: SecretKey;
  /**
   * libpq `sslmode` (PGSSLMODE): disable, allow, prefer, require, verify-ca or verify-full.
   * Managed databases such as RDS want at least `require`; verify-ca and verify-full need `ca`.
   * In the URI form it is a default: an `sslmode` inside the URI wins (libpq reads the
   * environment only for what the connection string leaves out).
   * @default libpq's default (`prefer`)
   */
  readonly sslMode?: string;
  /**
   * The CA bundle that signs the server certificate, mounted read-only; PGSSLROOTCERT points at it.
   * @default none (required for verify-ca and verify-full)
   */
  readonly ca?: PostgresCa;
  /**
   * Address blocks the database lives in, for the NetworkPolicy egress of the server, the
   * migration Job and the bootstrap Job (`port` only).
   * @default the host's /32 when `host` is an IPv4 address; otherwise the private ranges
   * 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 (a VPC database such as RDS). Narrow it.
   */
  readonly cidrs?: string[];
  /**
   * Peers instead of address blocks, e.g. a shared PostgreSQL in another namespace of this
   * cluster: `NetworkPeer.pods({'app.kubernetes.io/name': 'postgresql'}, {'kubernetes.io/metadata.name': 'data'})`.
   * When set, `cidrs` and its default are not used.
   * @default none
   */
  readonly peers?: NetworkPeer[];
  /**
   * Host form only: a Job (Argo CD Sync hook, before the migration) that creates the MLflow
   * role and databases on a shared instance if missing, with admin credentials from a Secret.
   * @default none: the role and database exist already
   */
  readonly bootstrap?: PostgresBootstrapOptions;
}

/** @internal */
export class ExternalPostgres implements IBackendStore {
  constructor(private readonly options: ExternalPostgresOptions) {}

  public bind(scope: Construct, options: StoreBindOptions): BackendStoreBinding {
    const o = this.options;
    const p = 'backendStore';
    const hostForm = o.host !== undefined || o.password !== undefined || o.database !== undefined || o.user !== undefined || o.userSecret !== undefined;
    if (o.uri !== undefined && hostForm) {
      invalid(scope, p, describe(o), 'give either `uri` (the whole URI from a Secret) or `host`/`database`/`user`/`password`, not both');
    }
    if (o.uri === undefined && o.host === undefined) {
      invalid(scope, p, describe(o), 'give `uri` (a SecretKey holding the whole URI) or `host` with `password` (a SecretKey)');
    }
    const port = checkPort(scope, `${p}.port`, o.port ?? POSTGRES_PORT);

    // TLS: libpq env, read by psycopg2 (server, migration) and psql (bootstrap) alike.
    const env: k8s.EnvVar[] = [];
    const volumes: k8s.Volume[] = [];
    const volumeMounts: k8s.VolumeMount[] = [];
    if (o.sslMode !== undefined) {
      const mode = checkSslMode(scope, `${p}.sslMode`, o.sslMode);
      if ((mode === 'verify-ca' || mode === 'verify-full') && o.ca === undefined) {
        invalid(scope, `${p}.ca`, o.ca, `is required with sslMode '${mode}': PostgresCa.fromConfigMap(name, key) or PostgresCa.fromSecret(secretKey)`);
      }
    }
    if (o.ca !== undefined) {
      if (!(o.ca instanceof PostgresCa)) invalid(scope, `${p}.ca`, o.ca, 'must be PostgresCa.fromConfigMap(...) or PostgresCa.fromSecret(...)');
      o.ca._validate(scope, `${p}.ca`);
      volumes.push(o.ca.toVolume());
      volumeMounts.push(o.ca.toVolumeMount());
    }
    const tlsEnv: k8s.EnvVar[] = [
      ...(o.sslMode !== undefined ? [{ name: 'PGSSLMODE', value: o.sslMode }] : []),
      ...(o.ca !== undefined ? [{ name: 'PGSSLROOTCERT', value: POSTGRES_CA_FILE }] : []),
    ];

    // Egress
    let egress: EgressRule[];
    if (o.peers !== undefined) {
      if (!Array.isArray(o.peers) || o.peers.length === 0 || o.peers.some(x => !(x instanceof NetworkPeer))) {
        invalid(scope, `${p}.peers`, o.peers, 'must be a non-empty list of NetworkPeer');
      }
      egress = o.peers.map(peer => ({ peer, ports: [{ port }], description: 'external PostgreSQL' }));
    } else {
      const cidrs = o.cidrs ?? (o.host !== undefined && isIpv4(o.host) ? [`${o.host}/32`] : [...PRIVATE_IPV4_RANGES]);
      if (!Array.isArray(cidrs) || cidrs.length === 0) invalid(scope, `${p}.cidrs`, cidrs, 'must be a non-empty list of CIDR blocks (or leave it out for the default)');
      egress = cidrs.map(cidr => ({ peer: NetworkPeer.ipBlock(checkNetworkCidr(scope, `${p}.cidrs`, cidr)), ports: [{ port }], description: 'external PostgreSQL' }));
    }

    if (o.uri !== undefined) {
      if (!(o.uri instanceof SecretKey)) invalid(scope, `${p}.uri`, '(not a SecretKey: value hidden)', 'must be a SecretKey, e.g. SecretKey.fromExisting("mlflow-db", "uri")');
      o.uri._bind(scope, `${p}.uri`);
      if (o.bootstrap !== undefined) {
        invalid(scope, `${p}.bootstrap`, '(set)', 'needs the host form (`host`, `user`, `password`): the bootstrap Job cannot take a role and password out of a URI');
      }
      env.push(o.uri.toEnvVar(BACKEND_URI_ENV), ...tlsEnv);
      return { uriEnvName: BACKEND_URI_ENV, env, volumes, volumeMounts, egress };
    }

    // Host form
    const host = o.host!;
    if (typeof host !== 'string' || !(isIpv4(host) || (!host.startsWith('*') && checkHostname(scope, `${p}.host`, host)))) {
      invalid(scope, `${p}.host`, host, "must be a DNS name such as 'mlflow.abc123.eu-west-1.rds.amazonaws.com' or an IPv4 address");
    }
    const database = checkPgIdentifier(scope, `${p}.database`, o.database ?? 'mlflow');
    const { role: user, env: userEnv } = pgRole(scope, `${p}.user`, o.user, `${p}.userSecret`, o.userSecret, 'mlflow', 'PGUSER');
    if (!(o.password instanceof SecretKey)) {
      invalid(scope, `${p}.password`, o.password === undefined ? undefined : '(not a SecretKey)', 'is required in the host form: a SecretKey, e.g. SecretKey.fromExisting("mlflow-db", "password")');
    }
    o.password._bind(scope, `${p}.password`);
    env.push(
      { name: 'PGHOST', value: host },
      { name: 'PGPORT', value: String(port) },
      { name: 'PGDATABASE', value: database },
      userEnv,
      o.password.toEnvVar('PGPASSWORD'),
      ...tlsEnv,
    );
    const binding: BackendStoreBinding = { uri: 'postgresql+psycopg2://', env, volumes, volumeMounts, egress };
    if (o.bootstrap !== undefined) {
      new PostgresBootstrapJob(scope, 'PostgresBootstrap', {
        ...options,
        host,
        port,
        database,
        user,
        password: o.password,
        tlsEnv,
        volumes,
        volumeMounts,
        egress,
        bootstrap: o.bootstrap,
      });
    }
    return binding;
  }
}

function describe(o: ExternalPostgresOptions): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (o.uri !== undefined) d.uri = '(SecretKey)';
  if (o.host !== undefined) d.host = o.host;
  if (o.database !== undefined) d.database = o.database;
  if (o.user !== undefined) d.user = o.user;
  if (o.userSecret !== undefined) d.userSecret = '(SecretKey)';
  if (o.password !== undefined) d.password = '(SecretKey)';
  return d;
}
