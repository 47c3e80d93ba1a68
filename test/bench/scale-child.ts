/**
 * Benchmark child (not a test): synthesizes N MLflow stacks, each in its own namespace, into one
 * app and writes them with writeManifests, then prints one JSON line with its timings and peak RSS.
 *
 * bench.ts transpiles this file and runs it with plain `node` against the COMPILED library
 * (lib/src/index.js), so the figures hold no TypeScript loader; the type-only import below keeps it
 * type-checked against src/ by `npm test`.
 *
 * Usage: node scale-child.js <libIndexJs> <stacks> <outdir>
 */
import type * as Lib from '../../src/index';

const [libPath, stacksArg, outdir] = process.argv.slice(2);
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib: typeof Lib = require(libPath);
// The same cdk8s module instance as the library's (resolved from the library's folder).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { App } = require(require.resolve('cdk8s', { paths: [libPath] })) as typeof import('cdk8s');
const tLoaded = performance.now();

const stacks = Number(stacksArg);
const cpu0 = process.cpuUsage();
const app = new App({ outdir });
for (let i = 0; i < stacks; i++) {
  const team = `team-${String(i).padStart(4, '0')}`;
  new lib.MlflowChart(app, team, {
    namespace: team,
    backendStore: lib.BackendStore.external({ uri: lib.SecretKey.fromExisting('mlflow-db', 'uri') }),
    artifactStore: lib.ArtifactStore.s3({ bucket: `${team}-mlflow`, region: 'eu-west-1' }),
    ingress: { hosts: [`mlflow.${team}.example.com`], className: 'nginx', clusterIssuer: 'letsencrypt-prod' },
  });
}
const tBuilt = performance.now();
const files = lib.writeManifests(app, outdir);
const tWritten = performance.now();
const cpu = process.cpuUsage(cpu0);

process.stdout.write(JSON.stringify({
  stacks,
  files: files.length,
  loadMs: tLoaded - t0,
  constructMs: tBuilt - tLoaded,
  renderMs: tWritten - tBuilt,
  synthMs: tWritten - tLoaded,
  // CPU time of construct + render (user + system): less sensitive than wall time to other load
  synthCpuMs: (cpu.user + cpu.system) / 1000,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
}) + '\n');
