import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EgressRule } from '../network/network-peer';
import { ExternalPostgres, ExternalPostgresOptions } from './external-postgres';
import { InClusterPostgres, InClusterPostgresOptions } from './in-cluster-postgres';

/** What the MLflow server (and its migration Job) needs to use a backend store. */
export interface BackendStoreBinding {
  /**
   * The value of `--backend-store-uri` and of `mlflow db upgrade <url>`. It never holds a
   * credential. Undefined when the whole URI comes from a Secret: then `uriEnvName` names
   * the environment variable that carries it.
   * @default undefined: `uriEnvName` names the variable holding the URI
   */
  readonly uri?: string;
  /**
   * Environment variable carrying the whole URI (from a Secret), when `uri` is undefined.
   * @default undefined: `uri` is the URI
   */
  readonly uriEnvName?: string;
  /** Environment every container that talks to the database needs (libpq PG*, or the URI from a Secret). */
  readonly env: k8s.EnvVar[];
  /** Volumes those containers need (e.g. a CA bundle). */
  readonly volumes: k8s.Volume[];
  /** Where those volumes are mounted. */
  readonly volumeMounts: k8s.VolumeMount[];
  /** The connections those pods must be allowed to open. */
  readonly egress: EgressRule[];
  /**
   * Name of the StatefulSet of an in-cluster database (for its readiness alert).
   * @default none: the database is not in the cluster
   */
  readonly databaseStatefulSet?: string;
  /**
   * The pod labels of an in-cluster database, so its NetworkPolicy can admit the server.
   * @default none: the database is not in the cluster
   */
  readonly databasePodLabels?: Record<string, string>;
}

/** The context a store is bound in. */
export interface StoreBindOptions {
  /** Base name of the MLflow stack (e.g. `mlflow`). */
  readonly name: string;
  /** Namespace everything is rendered into. */
  readonly namespace: string;
  /** app.kubernetes.io/instance of the stack. */
  readonly instance: string;
  /**
   * The cluster's DNS domain, for in-cluster service URLs.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/** A backend store: implement it to plug in a store of your own. */
export interface IBackendStore {
  /**
   * Renders what the store owns (if anything) into `scope` and tells the server how to reach it.
   * Called once per MLflow server.
   */
  bind(scope: Construct, options: StoreBindOptions): BackendStoreBinding;
}

/**
 * Where MLflow keeps its tracking metadata (experiments, runs, registry): PostgreSQL.
 * Choose a form with a static factory.
 */
export class BackendStore {
  /**
   * A PostgreSQL that runs elsewhere (AWS RDS, a shared company instance), reached with
   * credentials from a Secret.
   */
  public static external(options: ExternalPostgresOptions): IBackendStore {
    return new ExternalPostgres(options);
  }

  /**
   * A PostgreSQL of its own in this namespace: a StatefulSet of one with a retained,
   * prune-protected volume, reached through a client Service; the password comes from a Secret.
   */
  public static inCluster(options: InClusterPostgresOptions): IBackendStore {
    return new InClusterPostgres(options);
  }

  private constructor() {}
}
