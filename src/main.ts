import { App, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ArtifactStore } from './artifacts/artifact-store';
import { BackendStore } from './backend/backend-store';
import { MlflowChart } from './chart/mlflow-chart';
import { writeManifests } from './output/write-manifests';
import { SecretKey } from './secrets/secret-source';

/** The deployments of this repository, one folder each in dist/. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir: outdir ?? process.env.CDK8S_OUTDIR ?? 'dist' });

  new MlflowChart(app, 'aws-s3', {
    namespace: 'asgard',
    backendStore: BackendStore.external({ uri: SecretKey.fromExisting('mlflow-db', 'uri') }),
    artifactStore: ArtifactStore.s3({ bucket: 'asgard-mlflow', prefix: 'mlflow-artifacts', region: 'eu-west-1' }),
    resources: {
      cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
    },
    ingress: { hosts: ['mlflow.asgard.example.com'], className: 'nginx', clusterIssuer: 'letsencrypt-prod' },
  });

  return app;
}

if (require.main === module) {
  writeManifests(buildApp());
}
