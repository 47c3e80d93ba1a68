/**
 * `npm run bench`: the performance benchmark (not a test). Prints ONE JSON object on stdout
 * (progress goes to stderr). Everything is measured in this one run, side by side and
 * interleaved, so the ratios stay meaningful on a noisy machine.
 *
 * - inProcess: synth time of each deployment of src/main.ts (construct + render to YAML text),
 *   against the FLOOR: a bare cdk8s chart that renders the same objects (same count, kinds and
 *   content) from literals with cdk8s-plus-28's L1 classes (`k8s.Kube*`, or `ApiObject` for kinds
 *   that have none, e.g. CRDs), with no logic of ours.
 * - cli: cold `cdk8s synth` of this repository (compiled app) against the same CLI running a
 *   bare cdk8s app that renders the floor objects; and `npm run synth` (compile + CLI).
 * - scale: 1, 10, 100, 1000 stacks in one app, each in a child process on the compiled
 *   library: synth time, peak RSS, and the slope time(1000)/time(100).
 * - test: `npm test` wall time.
 *
 * Flags: --runs N (in-process iterations, default 30), --cli-runs N (default 9),
 * --scale-runs N (default 3), --scale 1,10,100,1000, --skip-cli, --skip-scale, --skip-test.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Node } from 'constructs';
import * as ts from 'typescript';
import { buildApp } from '../../src/main';
import { chartManifestFiles } from '../../src/output/write-manifests';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

// ---------------------------------------------------------------- arguments
function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const RUNS = Number(option('runs', '30'));
const CLI_RUNS = Number(option('cli-runs', '9'));
const SCALE_RUNS = Number(option('scale-runs', '3'));
const SCALE = option('scale', '1,10,100,1000').split(',').map(Number);

// ---------------------------------------------------------------- helpers
const now = () => performance.now();
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { ms: number; stdout: string } {
  const t0 = now();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mlflow-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------- in-process: ours
// Construction time per deployment: timestamps of each top-level construct (chart) being added
// to the app; a chart's time runs until the next one starts (or buildApp returns).
let marks: { id: string; t: number }[] | undefined;
const nodeProto = Node.prototype as any; // addChild is private in the typings, public at runtime
const addChild = nodeProto.addChild;
nodeProto.addChild = function (this: Node, child: unknown, childName: string) {
  if (marks && this.scope === undefined) marks.push({ id: childName, t: now() });
  return addChild.call(this, child, childName);
};

interface OursSample { total: number; perChart: Record<string, { construct: number; render: number }> }

function synthOurs(): OursSample {
  marks = [];
  const t0 = now();
  const app = buildApp(path.join(tmp, 'in-process'));
  const tBuilt = now();
  const starts = marks;
  marks = undefined;
  const perChart: OursSample['perChart'] = {};
  for (const chart of app.charts) {
    // a nested chart's construction is counted in its top-level chart
    const i = starts.findIndex(m => m.id === chart.node.path);
    const construct = i < 0 ? 0 : (starts[i + 1]?.t ?? tBuilt) - starts[i].t;
    const r0 = now();
    chartManifestFiles(chart);
    perChart[chart.node.path] = { construct, render: now() - r0 };
  }
  return { total: now() - t0, perChart };
}

// ---------------------------------------------------------------- in-process: the floor
/** L1 class of each apiVersion/kind that cdk8s-plus-28 knows. */
const L1: Map<string, new (scope: Chart, id: string, props: any) => ApiObject> = new Map(
  Object.values(k8s as Record<string, any>)
    .filter(c => typeof c === 'function' && c.GVK?.kind)
    .map(c => [`${c.GVK.apiVersion}/${c.GVK.kind}`, c]),
);

/** The objects each deployment renders, as the literals a bare chart would be written with. */
const DEPLOYMENTS: Record<string, any[]> = Object.fromEntries(
  buildApp(path.join(tmp, 'objects')).charts.map(c => [c.node.path, c.toJson()]),
);

/**
 * The floor chart. 'l1': each object through its cdk8s-plus-28 L1 class (`k8s.Kube*`, as our code
 * does; `ApiObject` for kinds without one), props taken from the rendered JSON (IntOrString and
 * Quantity fields, which L1 classes expect as objects, drop out, so it renders slightly less).
 * 'apiObject': each object as a plain `ApiObject` of the exact rendered content (identical YAML):
 * the strictest floor, without the L1 props mapping our code pays for.
 */
function buildFloorChart(app: App, id: string, objects: any[], mode: 'l1' | 'apiObject'): Chart {
  const chart = new Chart(app, id.replace(/\//g, '--'), { disableResourceNameHashes: true });
  objects.forEach((o, i) => {
    const cls = mode === 'l1' ? L1.get(`${o.apiVersion}/${o.kind}`) : undefined;
    if (cls) {
      const { apiVersion: _v, kind: _k, ...props } = o;
      new cls(chart, `o${i}`, props);
    } else {
      new ApiObject(chart, `o${i}`, o);
    }
  });
  return chart;
}

function synthFloor(mode: 'l1' | 'apiObject'): { total: number; perChart: Record<string, number> } {
  const t0 = now();
  const app = new App({ outdir: path.join(tmp, 'floor') });
  const perChart: Record<string, number> = {};
  for (const [id, objects] of Object.entries(DEPLOYMENTS)) {
    const c0 = now();
    const chart = buildFloorChart(app, id, objects, mode);
    chart.toJson().map(o => Yaml.stringify(o));
    perChart[id] = now() - c0;
  }
  return { total: now() - t0, perChart };
}

function kinds(objects: any[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of objects) out[o.kind] = (out[o.kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort());
}

function inProcess() {
  const warmup = Math.max(10, RUNS);
  log(`in-process: ${Object.keys(DEPLOYMENTS).length} deployment(s), ${warmup} warm-up + ${RUNS} interleaved runs`);
  for (let i = 0; i < warmup; i++) { synthOurs(); synthFloor('l1'); synthFloor('apiObject'); }
  const ours: OursSample[] = [];
  const floor: ReturnType<typeof synthFloor>[] = [];
  const strict: ReturnType<typeof synthFloor>[] = [];
  for (let i = 0; i < RUNS; i++) {
    // No forced GC between samples: a full GC makes the next run several times slower (cold
    // code and heap), which would measure V8's recovery instead of our code.
    ours.push(synthOurs());
    floor.push(synthFloor('l1'));
    strict.push(synthFloor('apiObject'));
  }
  const deployments = Object.fromEntries(Object.entries(DEPLOYMENTS).map(([id, objects]) => {
    const synth = median(ours.map(s => s.perChart[id].construct + s.perChart[id].render));
    const floorMs = median(floor.map(s => s.perChart[id]));
    const strictMs = median(strict.map(s => s.perChart[id]));
    return [id, {
      objects: objects.length, kinds: kinds(objects),
      constructMs: round(median(ours.map(s => s.perChart[id].construct)), 3),
      renderMs: round(median(ours.map(s => s.perChart[id].render)), 3),
      synthMs: round(synth, 3),
      floorMs: round(floorMs, 3), ratio: round(synth / floorMs),
      apiObjectFloorMs: round(strictMs, 3), apiObjectRatio: round(synth / strictMs),
    }];
  }));
  const synthMs = median(ours.map(s => s.total));
  const floorMs = median(floor.map(s => s.total));
  const strictMs = median(strict.map(s => s.total));
  return {
    runs: RUNS,
    deployments,
    total: {
      synthMs: round(synthMs, 3), floorMs: round(floorMs, 3), ratio: round(synthMs / floorMs),
      apiObjectFloorMs: round(strictMs, 3), apiObjectRatio: round(synthMs / strictMs),
    },
  };
}

// ---------------------------------------------------------------- cold CLI
function cli() {
  // A bare cdk8s app rendering the same objects, one chart per deployment, run by the same CLI.
  const bare = path.join(tmp, 'bare-app');
  fs.mkdirSync(bare);
  fs.writeFileSync(path.join(bare, 'objects.json'), JSON.stringify(DEPLOYMENTS));
  fs.writeFileSync(path.join(bare, 'cdk8s.yaml'), 'language: typescript\napp: node app.js\noutput: dist\n');
  fs.writeFileSync(path.join(bare, 'app.js'), [
    `const req = m => require(require.resolve(m, { paths: [${JSON.stringify(ROOT)}] }));`,
    "const { ApiObject, App, Chart } = req('cdk8s');",
    "const { k8s } = req('cdk8s-plus-28');",
    'const L1 = new Map(Object.values(k8s).filter(c => typeof c === "function" && c.GVK && c.GVK.kind).map(c => [c.GVK.apiVersion + "/" + c.GVK.kind, c]));',
    'const app = new App();',
    'for (const [id, objects] of Object.entries(require("./objects.json"))) {',
    '  const chart = new Chart(app, id.replace(/\\//g, "--"), { disableResourceNameHashes: true });',
    '  objects.forEach((o, i) => { const C = L1.get(o.apiVersion + "/" + o.kind);',
    '    if (C) { const { apiVersion, kind, ...props } = o; new C(chart, "o" + i, props); } else new ApiObject(chart, "o" + i, o); });',
    '}',
    'app.synth();',
    '',
  ].join('\n'));

  const cdk8s = path.join(BIN, 'cdk8s');
  const synthArgs = (out: string) => [cdk8s, 'synth', '--check-upgrade=false', '-o', out];
  log(`cold CLI: ${CLI_RUNS} interleaved runs each of cdk8s synth (ours, bare) and of the bare node apps`);
  const ours: number[] = []; const bareCli: number[] = []; const oursApp: number[] = []; const bareApp: number[] = [];
  for (let i = 0; i < CLI_RUNS + 1; i++) {
    const a = run(process.execPath, synthArgs(path.join(tmp, 'cli-ours')), ROOT).ms;
    const b = run(process.execPath, synthArgs(path.join(tmp, 'cli-bare')), bare).ms;
    const c = run(process.execPath, [path.join(ROOT, 'lib', 'src', 'main.js')], ROOT, { CDK8S_OUTDIR: path.join(tmp, 'app-ours') }).ms;
    const d = run(process.execPath, ['app.js'], bare, { CDK8S_OUTDIR: path.join(tmp, 'app-bare') }).ms;
    if (i === 0) continue; // first run warms the file system cache
    ours.push(a); bareCli.push(b); oursApp.push(c); bareApp.push(d);
  }
  log('npm run synth (compile + cdk8s synth, writes dist/)');
  const npmSynth: number[] = [];
  for (let i = 0; i < Math.min(3, CLI_RUNS); i++) npmSynth.push(run('npm', ['run', 'synth', '--silent'], ROOT).ms);
  return {
    runs: CLI_RUNS,
    cdk8sSynthMs: round(median(ours), 0),
    bareCdk8sSynthMs: round(median(bareCli), 0),
    ratio: round(median(ours) / median(bareCli)),
    appOnlyMs: round(median(oursApp), 0),
    bareAppOnlyMs: round(median(bareApp), 0),
    npmRunSynthMs: round(median(npmSynth), 0),
  };
}

// ---------------------------------------------------------------- scale
function scale() {
  const js = ts.transpileModule(fs.readFileSync(path.join(__dirname, 'scale-child.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const child = path.join(tmp, 'scale-child.js');
  fs.writeFileSync(child, js);
  const lib = path.join(ROOT, 'lib', 'src', 'index.js');
  // Sizes interleaved in every round, so a change in machine load hits all of them alike.
  const samples: Record<number, any[]> = Object.fromEntries(SCALE.map(n => [n, []]));
  for (let i = 0; i < SCALE_RUNS; i++) {
    for (const n of SCALE) {
      log(`scale: round ${i + 1}/${SCALE_RUNS}, ${n} stack(s) (child process, compiled library)`);
      const out = path.join(tmp, `scale-${n}`);
      const r = run(process.execPath, [child, lib, String(n), out], ROOT);
      samples[n].push({ ...JSON.parse(r.stdout), wallMs: r.ms });
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  const results: Record<string, any> = {};
  for (const n of SCALE) {
    const s = samples[n];
    results[n] = {
      files: s[0].files,
      synthMs: round(median(s.map(x => x.synthMs)), 0),
      synthCpuMs: round(median(s.map(x => x.synthCpuMs)), 0),
      wallMs: round(median(s.map(x => x.wallMs)), 0),
      maxRssMB: round(Math.max(...s.map(x => x.maxRssMB)), 0),
      msPerStack: round(median(s.map(x => x.synthMs)) / n),
    };
  }
  const slope = results[1000] && results[100] ? round(results[1000].synthMs / results[100].synthMs) : undefined;
  const slopeCpu = results[1000] && results[100] ? round(results[1000].synthCpuMs / results[100].synthCpuMs) : undefined;
  return { runs: SCALE_RUNS, stacks: results, slope1000over100: slope, cpuSlope1000over100: slopeCpu };
}

// ---------------------------------------------------------------- npm test
function testSuite() {
  log('npm test (once)');
  return { npmTestMs: round(run('npm', ['test', '--silent'], ROOT, { CI: 'true' }).ms, 0) };
}

// ---------------------------------------------------------------- main
const started = now();
const result: Record<string, any> = {
  machine: {
    node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, platform: `${os.platform()} ${os.arch()}`,
    // other processes' load: above the CPU count, wall times include waiting for a CPU
    loadAvgAtStart: os.loadavg().map(x => round(x)),
  },
  inProcess: inProcess(),
};
if (!flag('skip-cli') || !flag('skip-scale')) {
  log('compiling (tsc --build): the CLI and scale runs use the compiled library');
  run(path.join(BIN, 'tsc'), ['--build'], ROOT);
}
if (!flag('skip-cli')) result.cli = cli();
if (!flag('skip-scale')) result.scale = scale();
if (!flag('skip-test')) result.test = testSuite();

const t = (pass: boolean | undefined, value: unknown, target: string) => (pass === undefined ? undefined : { value, target, pass });
result.targets = Object.fromEntries(Object.entries({
  inProcessVsFloor: t(result.inProcess.total.ratio <= 1.3, result.inProcess.total.ratio, '<= 1.3x'),
  cliVsBare: result.cli && t(result.cli.ratio <= 1.2, result.cli.ratio, '<= 1.2x'),
  cliUnder1s: result.cli && t(result.cli.cdk8sSynthMs < 1000, result.cli.cdk8sSynthMs, '< 1000 ms'),
  stacks1000Under10s: result.scale?.stacks[1000] && t(result.scale.stacks[1000].wallMs < 10000, result.scale.stacks[1000].wallMs, '< 10000 ms (wall)'),
  stacks1000RssUnder1_5GB: result.scale?.stacks[1000] && t(result.scale.stacks[1000].maxRssMB < 1536, result.scale.stacks[1000].maxRssMB, '< 1536 MB'),
  // judged on CPU time (the work done); the wall-time slope is reported next to it
  linearGrowth: result.scale?.cpuSlope1000over100 !== undefined
    ? t(result.scale.cpuSlope1000over100 <= 11, result.scale.cpuSlope1000over100, 'CPU time(1000)/time(100) <= 11 (10 = linear)') : undefined,
  testUnder60s: result.test && t(result.test.npmTestMs < 60000, result.test.npmTestMs, '< 60000 ms'),
}).filter(([, v]) => v !== undefined));
result.machine.loadAvgAtEnd = os.loadavg().map(x => round(x));
result.benchMs = round(now() - started, 0);
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
