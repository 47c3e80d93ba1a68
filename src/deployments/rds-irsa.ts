import { App } from 'cdk8s';
import { ArtifactStore } from '../artifacts/artifact-store';
import { S3Credentials } from '../artifacts/s3-credentials';
import { BackendStore } from '../backend/backend-store';
import { MlflowChart } from '../chart/mlflow-chart';
import { SecretKey } from '../secrets/secret-source';

/**
 * rds-irsa: a stateless server (3 replicas) on EKS: AWS RDS PostgreSQL with sslmode=require and
 * credentials from a Secret, S3 through IRSA (no keys anywhere), behind an Ingress.
 */
export function rdsIrsa(app: App): MlflowChart {
  return new MlflowChart(app, 'rds-irsa', {
    namespace: 'mlops',
    backendStore: BackendStore.external({
      host: 'mlflow.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com',
      database: 'mlflow',
      user: 'mlflow',
      password: SecretKey.fromExisting('mlflow-rds', 'password'),
      sslMode: 'require',
      // the VPC's private subnets, where RDS lives
      cidrs: ['10.40.0.0/16'],
    }),
    artifactStore: ArtifactStore.s3({
      bucket: 'acme-mlflow-artifacts',
      prefix: 'mlflow',
      region: 'eu-west-1',
      credentials: S3Credentials.irsa('arn:aws:iam::123456789012:role/mlflow-artifacts'),
    }),
    replicas: 3,
    workers: 4,
    ingress: { hosts: ['mlflow.ml.acme.example'], className: 'nginx', clusterIssuer: 'letsencrypt-prod' },
  });
}
