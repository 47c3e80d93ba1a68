import { App } from 'cdk8s';
import { awsS3 } from './deployments/aws-s3';
import { dataPlatform } from './deployments/data-platform';
import { minio } from './deployments/minio';
import { rdsIrsa } from './deployments/rds-irsa';
import { writeManifests } from './output/write-manifests';

/** The deployments of this repository, one folder each in dist/. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir: outdir ?? process.env.CDK8S_OUTDIR ?? 'dist' });
  awsS3(app);
  minio(app);
  rdsIrsa(app);
  dataPlatform(app);
  return app;
}

if (require.main === module) {
  writeManifests(buildApp());
}
