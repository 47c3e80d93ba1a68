import { App, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ArtifactStore } from '../artifacts/artifact-store';
import { BackendStore } from '../backend/backend-store';
import { MlflowChart } from '../chart/mlflow-chart';
import { SecretKey, SecretSource } from '../secrets/secret-source';

/**
 * minio: namespace `mlflow`, in-cluster PostgreSQL (20Gi) and MinIO (50Gi) with the bucket Job,
 * 2 server replicas with 4 workers, Ingress nginx + cert-manager, ServiceMonitor.
 */
export function minio(app: App): MlflowChart {
  return new MlflowChart(app, 'minio', {
    namespace: 'mlflow',
    backendStore: BackendStore.inCluster({
      password: SecretKey.fromExisting('mlflow-postgresql', 'password'),
      size: Size.gibibytes(20),
    }),
    artifactStore: ArtifactStore.minio({
      rootCredentials: SecretSource.existing('mlflow-minio'),
      bucket: 'mlflow',
      storageSize: Size.gibibytes(50),
    }),
    replicas: 2,
    workers: 4,
    resources: {
      cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
      memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) },
    },
    ingress: { hosts: ['mlflow.example.com'], className: 'nginx', clusterIssuer: 'letsencrypt-prod' },
    monitoring: {
      serviceMonitor: { labels: { release: 'prometheus' } },
    },
  });
}
