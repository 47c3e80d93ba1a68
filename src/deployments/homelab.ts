import { App, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ArtifactStore } from '../artifacts/artifact-store';
import { S3Credentials } from '../artifacts/s3-credentials';
import { AuthPermission } from '../auth/auth-options';
import { BackendStore } from '../backend/backend-store';
import { MlflowChart } from '../chart/mlflow-chart';
import { SecretSource } from '../secrets/secret-source';
import { MlflowImage } from '../server/mlflow-image';
import { ServiceExposure } from '../server/service-exposure';
import { HOMELAB_SEALED } from './homelab-sealed';

/**
 * homelab: an external PostgreSQL at a fixed address (databases `mlflow` and `mlflow_auth`),
 * the MinIO of the `minio` namespace, basic-auth, the image mirrored in a private Harbor,
 * every credential as a SealedSecret, reachable on NodePort 30800 and on a MetalLB
 * LoadBalancer with a fixed IP, sized for a big single node (2-4 CPU, 8-16Gi).
 */
export function homelab(app: App): MlflowChart {
  const db = SecretSource.sealed({ name: 'mlflow-db', encryptedData: { password: HOMELAB_SEALED.dbPassword } });
  const s3 = SecretSource.sealed({
    name: 'mlflow-s3',
    encryptedData: { AWS_ACCESS_KEY_ID: HOMELAB_SEALED.s3AccessKeyId, AWS_SECRET_ACCESS_KEY: HOMELAB_SEALED.s3SecretAccessKey },
  });
  const auth = SecretSource.sealed({
    name: 'mlflow-auth',
    encryptedData: {
      'admin-username': HOMELAB_SEALED.authAdminUsername,
      'admin-password': HOMELAB_SEALED.authAdminPassword,
      'flask-secret-key': HOMELAB_SEALED.authFlaskSecretKey,
    },
  });

  return new MlflowChart(app, 'homelab', {
    namespace: 'mlflow-homelab',
    image: MlflowImage.custom('harbor.homelab.lan/mlops/mlflow:v3.17.0-full', { mlflowVersion: '3.17.0' }),
    imagePullSecrets: ['harbor-pull'],
    backendStore: BackendStore.external({
      host: '192.168.1.50',
      database: 'mlflow',
      user: 'mlflow',
      password: db.key('password'),
    }),
    artifactStore: ArtifactStore.s3Compatible({
      endpoint: 'http://minio.minio.svc.cluster.local:9000',
      bucket: 'mlflow',
      credentials: S3Credentials.fromSecret(s3),
    }),
    auth: {
      adminUsername: auth.key('admin-username'),
      adminPassword: auth.key('admin-password'),
      flaskSecretKey: auth.key('flask-secret-key'),
      database: 'mlflow_auth',
      defaultPermission: AuthPermission.READ,
    },
    service: ServiceExposure.loadBalancer({ loadBalancerIp: '192.168.1.240', nodePort: 30800 }),
    allowedHosts: ['mlflow.homelab.lan'],
    workers: 8,
    resources: {
      cpu: { request: Cpu.units(2), limit: Cpu.units(4) },
      memory: { request: Size.gibibytes(8), limit: Size.gibibytes(16) },
      ephemeralStorage: { request: Size.gibibytes(4), limit: Size.gibibytes(24) },
    },
    tmpSize: Size.gibibytes(20),
  });
}
