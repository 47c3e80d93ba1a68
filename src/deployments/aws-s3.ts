import { App, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ArtifactStore } from '../artifacts/artifact-store';
import { S3Credentials } from '../artifacts/s3-credentials';
import { BackendStore } from '../backend/backend-store';
import { MlflowChart } from '../chart/mlflow-chart';
import { SecretKey, SecretSource } from '../secrets/secret-source';

/**
 * aws-s3: namespace `asgard`, in-cluster PostgreSQL (10Gi), AWS S3 artifacts with static keys
 * from the `s3-credentials` Secret, Ingress with TLS, NetworkPolicy, 250m/512Mi → 1/1Gi.
 */
export function awsS3(app: App): MlflowChart {
  return new MlflowChart(app, 'aws-s3', {
    namespace: 'asgard',
    backendStore: BackendStore.inCluster({
      password: SecretKey.fromExisting('mlflow-postgresql', 'password'),
      size: Size.gibibytes(10),
    }),
    artifactStore: ArtifactStore.s3({
      bucket: 'asgard-mlflow',
      prefix: 'mlflow-artifacts',
      // The s3-credentials layout as-is: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION (AWS_S3_BUCKET is informational).
      credentials: S3Credentials.fromSecret(SecretSource.existing('s3-credentials'), { regionKey: 'AWS_REGION' }),
    }),
    workers: 2,
    resources: {
      cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
    },
    ingress: { hosts: ['mlflow.asgard.example.com'], className: 'nginx', clusterIssuer: 'letsencrypt-prod' },
  });
}
