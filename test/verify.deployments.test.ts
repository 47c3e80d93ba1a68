import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { checkManifests, checkYamlText, formatViolations, K8sObject } from './checks';
import { distFolders, expectCompliant, report, REQUIRE_NETWORK_POLICIES, ROOT } from './helpers/verify';
import { buildApp } from '../src/main';
import { chartManifestFiles } from '../src/output/write-manifests';

// Every deployment of src/main.ts, as synthesized in memory and as committed in dist/, passes every rule.

const app = buildApp(Testing.app().outdir);
let checked = 0;
afterAll(() => report('objects checked in src/main.ts deployments and dist/', checked));

describe.each(app.charts.map(c => [c.node.id, c] as const))('deployment %s', (id, chart) => {
  test('synthesized objects pass every manifest rule', () => {
    const objects = Testing.synth(chart);
    expect(objects.length).toBeGreaterThan(0);
    expectCompliant(objects);
    checked += objects.length;
  });

  test('with NetworkPolicy coverage required, only rule 13 can fail (nothing else is masked by the switch)', () => {
    const violations = checkManifests(Testing.synth(chart), { requireNetworkPolicies: true });
    expect(violations.filter(v => v.rule !== 13)).toEqual([]);
  });

  test('committed dist/ is exactly what the chart writes (names and bytes)', () => {
    const dir = path.join(ROOT, 'dist', id);
    const expected = chartManifestFiles(chart);
    expect(fs.existsSync(dir)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(expected.map(f => f.fileName));
    for (const f of expected) expect(fs.readFileSync(path.join(dir, f.fileName), 'utf8')).toBe(f.content);
  });
});

describe.each(distFolders().map(d => [d]))('dist/%s', dir => {
  const folder = path.join(ROOT, 'dist', dir);
  const files = fs.readdirSync(folder).filter(f => f.endsWith('.yaml')).sort();

  test('every file parses identically under YAML 1.1 and 1.2, labels and annotations are strings', () => {
    const problems = files.flatMap(f => checkYamlText(f, fs.readFileSync(path.join(folder, f), 'utf8')).violations);
    expect(formatViolations(problems)).toBe('');
  });

  test('the parsed files pass every manifest rule', () => {
    const objects: K8sObject[] = files.flatMap(f => checkYamlText(f, fs.readFileSync(path.join(folder, f), 'utf8')).objects);
    expect(objects.length).toBe(files.length);
    expectCompliant(objects);
    checked += objects.length;
  });
});

test('rule 13 is enforced on the repository deployments', () => {
  expect(REQUIRE_NETWORK_POLICIES).toBe(true);
});
