import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { StoreBindOptions } from '../backend/backend-store';
import { EgressRule } from '../network/network-peer';
import type { Minio } from './minio';
import { MinioArtifactStore, MinioArtifactStoreOptions } from './minio-artifact-store';
import { S3ArtifactStore, S3ArtifactStoreOptions } from './s3-artifact-store';
import { S3CompatibleArtifactStore, S3CompatibleArtifactStoreOptions } from './s3-compatible-artifact-store';

/** What the MLflow server needs to use an artifact store. */
export interface ArtifactStoreBinding {
  /** The artifact location, e.g. `s3://bucket/prefix`. Never holds a credential. */
  readonly destination: string;
  /** Environment the server needs (endpoint, credentials from Secrets, TLS settings). */
  readonly env: k8s.EnvVar[];
  /** Volumes the server needs (e.g. a CA bundle). */
  readonly volumes: k8s.Volume[];
  /** Where those volumes are mounted. */
  readonly volumeMounts: k8s.VolumeMount[];
  /** Annotations for the server's ServiceAccount (e.g. IRSA role). */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** The connections the server must be allowed to open. */
  readonly egress: EgressRule[];
  /**
   * Environment a client needs to reach the store itself in direct mode (endpoint, addressing,
   * TLS, and credentials when they come from a Secret). A CA bundle path in it refers to
   * `volumes`/`volumeMounts`, which the client must mount the same way.
   * @default none
   */
  readonly clientEnv?: k8s.EnvVar[];
  /**
   * The in-cluster MinIO, when the store renders one (its Service and metrics path serve a ServiceMonitor).
   * @default none
   */
  readonly minio?: Minio;
}

/** An artifact store: implement it to plug in a store of your own. */
export interface IArtifactStore {
  /**
   * Renders what the store owns (if anything) into `scope` and tells the server how to use it.
   * Called once per MLflow server.
   */
  bind(scope: Construct, options: StoreBindOptions): ArtifactStoreBinding;
}

/**
 * Where MLflow keeps artifacts (models, files): S3 or an S3-compatible store.
 * Choose a form with a static factory.
 */
export class ArtifactStore {
  /** AWS S3, with keys from a Secret, IRSA, or the default credential chain. */
  public static s3(options: S3ArtifactStoreOptions): IArtifactStore {
    return new S3ArtifactStore(options);
  }

  /** An in-cluster MinIO (StatefulSet with a PVC) and a Job that creates the bucket. */
  public static minio(options: MinioArtifactStoreOptions): IArtifactStore {
    return new MinioArtifactStore(options);
  }

  /** Any S3-compatible endpoint (MinIO in another namespace, Ceph RGW, ...), with optional bucket Job. */
  public static s3Compatible(options: S3CompatibleArtifactStoreOptions): IArtifactStore {
    return new S3CompatibleArtifactStore(options);
  }

  private constructor() {}
}
