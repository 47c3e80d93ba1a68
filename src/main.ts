import { App } from 'cdk8s';
import { argoCdApplications } from './deployments/argocd-applications';
import { awsS3 } from './deployments/aws-s3';
import { dataPlatform } from './deployments/data-platform';
import { homelab } from './deployments/homelab';
import { minio } from './deployments/minio';
import { mlTeamClients } from './deployments/ml-team-clients';
import { rdsIrsa } from './deployments/rds-irsa';
import { writeManifests } from './output/write-manifests';

/** The deployments of this repository, one folder each in dist/. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir: outdir ?? process.env.CDK8S_OUTDIR ?? 'dist' });
  const minioStack = minio(app);
  const deployments = [awsS3(app), minioStack, rdsIrsa(app), homelab(app), dataPlatform(app)];
  const clients = mlTeamClients(app, minioStack.server);
  argoCdApplications(app, deployments, [clients]);
  return app;
}

if (require.main === module) {
  writeManifests(buildApp());
}
