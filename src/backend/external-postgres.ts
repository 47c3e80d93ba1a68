import { Construct } from 'constructs';
import type { BackendStoreBinding, IBackendStore, StoreBindOptions } from './backend-store';
import { invalid } from '../common/errors';
import { NetworkPeer } from '../network/network-peer';
import { SecretKey } from '../secrets/secret-source';

/** The environment variable that carries a whole backend URI read from a Secret. */
export const BACKEND_URI_ENV = 'MLFLOW_BACKEND_STORE_URI';

/** An external PostgreSQL. */
export interface ExternalPostgresOptions {
  /**
   * A Secret key holding the whole SQLAlchemy URI (`postgresql+psycopg2://user:pass@host:5432/db`).
   * It reaches the server as an environment variable, never as an argument.
   */
  readonly uri: SecretKey;
  /**
   * Address blocks the database lives in, for the server's NetworkPolicy egress.
   * @default 5432/TCP to any address outside the private ranges is NOT opened; pass the database's CIDR
   */
  readonly cidrs?: string[];
  /**
   * Database port, for the NetworkPolicy.
   * @default 5432
   */
  readonly port?: number;
}

/** @internal */
export class ExternalPostgres implements IBackendStore {
  constructor(private readonly options: ExternalPostgresOptions) {}

  public bind(scope: Construct, _options: StoreBindOptions): BackendStoreBinding {
    const o = this.options;
    if (!(o.uri instanceof SecretKey)) invalid(scope, 'backendStore.uri', o.uri, 'must be a SecretKey, e.g. SecretKey.fromExisting("mlflow-db", "uri")');
    o.uri._bind(scope, 'backendStore.uri');
    const port = o.port ?? 5432;
    return {
      uriEnvName: BACKEND_URI_ENV,
      env: [o.uri.toEnvVar(BACKEND_URI_ENV)],
      volumes: [],
      volumeMounts: [],
      egress: (o.cidrs ?? []).map(cidr => ({
        peer: NetworkPeer.ipBlock(cidr),
        ports: [{ port }],
        description: 'external PostgreSQL',
      })),
    };
  }
}
