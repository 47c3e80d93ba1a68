import { App } from 'cdk8s';
import { ArtifactStore } from '../artifacts/artifact-store';
import { CaBundle } from '../artifacts/ca-bundle';
import { S3Credentials } from '../artifacts/s3-credentials';
import { BackendStore } from '../backend/backend-store';
import { MlflowChart } from '../chart/mlflow-chart';
import { NetworkPeer } from '../network/network-peer';
import { SecretKey, SecretSource } from '../secrets/secret-source';

/**
 * data-platform: a shared PostgreSQL in another namespace (MLflow's role and database created by
 * the bootstrap Job), a shared MinIO over TLS with the platform CA and a versioned bucket,
 * 2 replicas with anti-affinity, ServiceMonitor, PrometheusRule and a Grafana dashboard.
 */
export function dataPlatform(app: App): MlflowChart {
  return new MlflowChart(app, 'data-platform', {
    namespace: 'ml-platform',
    backendStore: BackendStore.external({
      host: 'postgresql.data-platform-db.svc.cluster.local',
      database: 'mlflow',
      user: 'mlflow',
      password: SecretKey.fromExisting('mlflow-db', 'password'),
      sslMode: 'require',
      peers: [NetworkPeer.pods({ 'app.kubernetes.io/name': 'postgresql' }, { 'kubernetes.io/metadata.name': 'data-platform-db' })],
      bootstrap: {
        adminUser: 'postgres',
        adminPassword: SecretKey.fromExisting('data-platform-db-admin', 'password'),
      },
    }),
    artifactStore: ArtifactStore.s3Compatible({
      endpoint: 'https://minio.data-platform-storage.svc.cluster.local:9000',
      bucket: 'mlflow',
      credentials: S3Credentials.fromSecret(SecretSource.existing('mlflow-s3')),
      caBundle: CaBundle.fromConfigMap('data-platform-ca', 'ca.crt'),
      bucketJob: { versioning: true },
    }),
    replicas: 2,
    workers: 4,
    ingress: { hosts: ['mlflow.data.example.com'], className: 'nginx', clusterIssuer: 'letsencrypt-prod' },
    monitoring: {
      serviceMonitor: { labels: { release: 'prometheus' } },
      prometheusRule: { labels: { release: 'prometheus' } },
      dashboard: {},
    },
  });
}
