import { Testing } from 'cdk8s';
import { buildApp } from '../src/main';
import { chartManifestFiles } from '../src/output/write-manifests';

// One snapshot per deployment chart of src/main.ts: a reviewed record of what lands in dist/.
describe('deployments of src/main.ts', () => {
  const app = buildApp(Testing.app().outdir);
  for (const chart of app.charts) {
    test(`${chart.node.id} matches its snapshot`, () => {
      expect(Testing.synth(chart)).toMatchSnapshot();
    });
    test(`${chart.node.id} files are ordered for kubectl (Namespace first) and named by kind and name`, () => {
      const files = chartManifestFiles(chart).map(f => f.fileName);
      expect(files).toEqual([...files].sort());
      if (files.some(f => f.includes('-namespace-'))) expect(files[0]).toMatch(/^00-namespace-/);
      for (const f of files) expect(f).toMatch(/^[0-9]{2}-[a-z]+-[a-z0-9.-]+\.yaml$/);
    });
  }
});
