import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { checkManifests, checkYamlText, formatViolations, Violation } from './checks';
import { CORRUPTIONS, invalidProps, validProps } from './helpers/arbitraries';
import { report, SUITE_OPTIONS } from './helpers/verify';
import { MlflowChart, MlflowChartProps } from '../src/chart/mlflow-chart';
import { MlflowConfigError } from '../src/common/errors';
import { chartManifestFiles } from '../src/output/write-manifests';


// Property-based tests over the public props of MlflowChart. Runs are fixed so the suite stays fast;
// set FUZZ_RUNS for a longer local session (e.g. FUZZ_RUNS=5000 npx jest test/verify.fuzz.test.ts).

const VALID_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const INVALID_RUNS = Number(process.env.FUZZ_RUNS ?? 400);
// CI replays a fixed seed (no flaky builds); local runs explore new seeds. A failure prints its seed:
// replay it with FUZZ_SEED=<seed>.
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.CI ? 20261123 : undefined;
const params = (numRuns: number) => ({ numRuns, ...(SEED !== undefined ? { seed: SEED } : {}) });
const CHART_ID = 'fuzz';
let objects = 0;
let validCases = 0;
let invalidCases = 0;
afterAll(() => report(`fuzz: ${validCases} valid configurations (${objects} objects) and ${invalidCases} invalid ones`, validCases + invalidCases));

function synth(props: MlflowChartProps): { chart: MlflowChart; objects: any[] } {
  const chart = new MlflowChart(Testing.app(), CHART_ID, props);
  return { chart, objects: Testing.synth(chart) };
}

test('random valid configurations pass every rule, as objects and as written YAML', () => {
  fc.assert(fc.property(validProps, props => {
    validCases++;
    const { chart, objects: out } = synth(props);
    objects += out.length;
    const tls = props.ingress ? !props.ingress.disableTls : true;
    const violations: Violation[] = checkManifests(out, { ...SUITE_OPTIONS, requireIngressTls: tls });
    for (const f of chartManifestFiles(chart)) violations.push(...checkYamlText(f.fileName, f.content).violations);
    if (violations.length) throw new Error(formatViolations(violations));
  }), params(VALID_RUNS));
});

test('random invalid configurations throw an MlflowConfigError naming the construct path and the prop', () => {
  fc.assert(fc.property(invalidProps, ({ props, prop }) => {
    invalidCases++;
    let error: unknown;
    try {
      synth(props);
    } catch (e) {
      error = e;
    }
    if (!(error instanceof MlflowConfigError)) {
      throw new Error(`expected an MlflowConfigError for ${prop}, got ${error === undefined ? 'no error' : `${(error as Error).name}: ${(error as Error).message}`}`);
    }
    expect(error.message.startsWith(`${CHART_ID}`)).toBe(true);
    expect(error.message).toContain(`invalid ${prop}`);
  }), params(INVALID_RUNS));
});

test('every corruption is refused at least once (each on the same valid base)', () => {
  const base = fc.sample(validProps, { numRuns: 1, seed: 42 })[0];
  const failures: string[] = [];
  for (const c of CORRUPTIONS) {
    const props = { ...base, ...(typeof c.change === 'function' ? c.change(base) : c.change) } as MlflowChartProps;
    try {
      synth(props);
      failures.push(`${c.prop}: accepted ${JSON.stringify(c.change)}`);
    } catch (e) {
      if (!(e instanceof MlflowConfigError)) failures.push(`${c.prop}: ${(e as Error).name}: ${(e as Error).message}`);
      else if (!e.message.includes(`invalid ${c.prop}`)) failures.push(`${c.prop}: message does not name the prop: ${e.message}`);
    }
  }
  expect(failures).toEqual([]);
});
