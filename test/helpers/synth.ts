import { App, Chart, Testing } from 'cdk8s';
import { MlflowChart, MlflowChartProps } from '../../src/chart/mlflow-chart';
import { ArtifactStore } from '../../src/artifacts/artifact-store';
import { BackendStore } from '../../src/backend/backend-store';
import { SecretKey } from '../../src/secrets/secret-source';

/** Minimal valid props; override what a test is about. */
export function baseProps(overrides: Partial<MlflowChartProps> = {}): MlflowChartProps {
  return {
    namespace: 'mlflow',
    backendStore: BackendStore.external({ uri: SecretKey.fromExisting('mlflow-db', 'uri') }),
    artifactStore: ArtifactStore.s3({ bucket: 'my-bucket' }),
    ...overrides,
  };
}

/** Synthesizes one MlflowChart and returns its objects. */
export function synthMlflow(overrides: Partial<MlflowChartProps> = {}, app: App = Testing.app()): any[] {
  const chart = new MlflowChart(app, 'test', baseProps(overrides));
  return Testing.synth(chart);
}

/** The single object of a kind (and name, if given); fails when there is not exactly one. */
export function one(objects: any[], kind: string, name?: string): any {
  const found = objects.filter(o => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** The server container of the Deployment. */
export function serverContainer(objects: any[]): any {
  return one(objects, 'Deployment').spec.template.spec.containers[0];
}

/** The env of a container as a name → value/valueFrom map. */
export function envMap(container: any): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

/** Synthesizes all charts of an app. */
export function synthAll(app: App): Record<string, any[]> {
  return Object.fromEntries(app.charts.map((c: Chart) => [c.node.id, Testing.synth(c)]));
}
