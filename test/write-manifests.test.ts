import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing, Yaml } from 'cdk8s';
import { MlflowChart } from '../src/chart/mlflow-chart';
import { chartManifestFiles, writeManifests } from '../src/output/write-manifests';
import { baseProps } from './helpers/synth';

// writeManifests renders each chart on its own (linear in the number of charts) instead of
// chart.toJson(), which re-runs cdk8s' app-wide passes: the output must be the same objects.
describe('writeManifests', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'write-manifests-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('writes exactly the objects cdk8s synthesizes for each chart of a multi-chart app', () => {
    const app = Testing.app();
    const charts = ['team-a', 'team-b', 'team-c'].map(ns => new MlflowChart(app, ns, baseProps({ namespace: ns })));
    writeManifests(app, tmp);
    for (const chart of charts) {
      const dir = path.join(tmp, chart.node.id);
      const files = fs.readdirSync(dir).sort();
      expect(files).toEqual(chartManifestFiles(chart).map(f => f.fileName));
      const written = files.map(f => Yaml.load(path.join(dir, f))[0]);
      const key = (o: any) => `${o.kind}/${o.metadata.name}`;
      const sortByKey = (xs: any[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
      expect(sortByKey(written)).toEqual(sortByKey(Testing.synth(chart)));
    }
  });

  test('runs construct validations once for the app and fails with cdk8s\' message', () => {
    const app = Testing.app();
    const chart = new MlflowChart(app, 'bad', baseProps({ namespace: 'bad' }));
    new ApiObject(chart, 'Extra', { apiVersion: 'v1', kind: 'ConfigMap' }).node.addValidation({ validate: () => ['broken on purpose'] });
    expect(() => writeManifests(app, tmp)).toThrow(/Validation failed with the following errors:\n {2}\[bad\/Extra\] broken on purpose/);
    expect(() => chartManifestFiles(chart)).toThrow(/broken on purpose/);
  });

  test('the credential guard still holds: it checks the objects as rendered for the files', () => {
    for (const write of [(app: any) => writeManifests(app, tmp), (_app: any, chart: any) => chartManifestFiles(chart)]) {
      const app = Testing.app();
      const chart = new MlflowChart(app, 'guarded', baseProps());
      new ApiObject(chart, 'Leaky', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaky' }, data: { url: 'postgresql://u:Canary-P4ss@db:5432/mlflow' } });
      let message = '';
      try { write(app, chart); } catch (e) { message = (e as Error).message; }
      expect(message).toMatch(/^Validation failed with the following errors:\n  \[guarded\] guarded\/Leaky: credential in plain text at \.data\.url/);
      expect(message).not.toContain('Canary-P4ss');
    }
  });

  test('goes through toJson() of a chart class that customizes it', () => {
    class Custom extends Chart {
      public toJson(): any[] {
        return [...super.toJson(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'added-at-synth', namespace: 'x' } }];
      }
    }
    const app = Testing.app();
    new Custom(app, 'custom', { namespace: 'x' });
    writeManifests(app, tmp);
    expect(fs.readdirSync(path.join(tmp, 'custom'))).toEqual(['08-configmap-added-at-synth.yaml']);
  });
});
