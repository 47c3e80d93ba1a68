import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Document, visit } from 'yaml';
import { credentialGuardErrors, withDeferredCredentialGuard } from '../secrets/credential-guard';

/**
 * Install order of kinds, as kubectl applies a folder in file-name order: what others
 * refer to comes first (Namespace, accounts, policies, config, storage), workloads next,
 * then what exposes and watches them.
 */
const KIND_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'ServiceAccount',
  'SealedSecret', 'ExternalSecret', 'Secret', 'ConfigMap', 'PersistentVolumeClaim',
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Service',
  'StatefulSet', 'Job', 'Deployment', 'CronJob', 'PodDisruptionBudget',
  'HorizontalPodAutoscaler', 'Ingress', 'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Application',
];

function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}

/**
 * YAML text that reads the same under YAML 1.1 (kubectl, Argo CD) and YAML 1.2 (kustomize/kyaml and
 * most other parsers): as cdk8s writes it (YAML 1.1, no line wrapping), plus quotes around strings
 * that YAML 1.2 would read as something else, such as a label value `0o12` (an octal 10 in 1.2).
 */
export function toYaml(obj: unknown): string {
  const doc = new Document(obj, { version: '1.1', keepUndefined: true });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.type !== 'QUOTE_DOUBLE' && !readsAsSameString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/**
 * Plain scalars that YAML 1.2's core schema resolves to something other than a string (null,
 * bool, int in decimal, octal `0o` or hex, float, infinities, NaN). Those YAML 1.1 would read as
 * non-strings are already quoted by the 1.1 stringifier; these are the ones it may leave plain.
 */
const YAML12_NON_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function readsAsSameString(text: string): boolean {
  return !YAML12_NON_STRING.test(text);
}

/** One manifest file of a chart folder. */
export interface ManifestFile {
  /** File name inside the chart's folder, e.g. `04-serviceaccount-mlflow.yaml`. */
  readonly fileName: string;
  /** YAML text. */
  readonly content: string;
}

/**
 * Runs the validations of every construct under `scope` once, as `cdk8s synth` does, with the
 * same message. The credential guards check the rendered objects instead (see renderChart).
 */
function validate(scope: IConstruct): void {
  const errors = withDeferredCredentialGuard(() => scope.node.findAll().flatMap(c => c.node.validate().map(e => `[${c.node.path}] ${e}`)));
  failOn(errors);
}

function failOn(errors: string[]): void {
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * The objects of one chart (those whose closest chart it is), rendered. Unlike `chart.toJson()`,
 * this does not re-run cdk8s' app-wide dependency and validation passes, which made writing an
 * app of N charts O(N²); the files are ordered by name, so dependency order is not needed.
 */
function renderChart(chart: Chart): any[] {
  // A chart class that customizes toJson() (e.g. to add objects at synthesis) goes through it.
  const rendered = chart.toJson !== Chart.prototype.toJson
    ? chart.toJson().filter(o => o !== undefined).map(json => ({ path: chart.node.path, json }))
    : chart.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart)
      .map(o => ({ path: o.node.path, json: o.toJson() }))
      .filter(o => o.json !== undefined);
  failOn(credentialGuardErrors(chart, rendered).map(e => `[${chart.node.path}] ${e}`));
  return rendered.map(o => o.json);
}

function toFiles(objects: any[]): ManifestFile[] {
  const files = objects.map(obj => {
    const rank = String(kindRank(obj.kind)).padStart(2, '0');
    const fileName = `${rank}-${String(obj.kind).toLowerCase()}-${obj.metadata?.name ?? 'unnamed'}.yaml`;
    return { fileName, content: toYaml(obj) };
  });
  // Code-unit order, as `ls` in the C locale and kubectl see it (never locale-dependent).
  return files.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
}

/** The files of one chart, in apply order, with deterministic names and content. */
export function chartManifestFiles(chart: Chart): ManifestFile[] {
  validate(chart);
  return toFiles(renderChart(chart));
}

/**
 * Writes every chart of the app to `<outdir>/<chart id>/NN-kind-name.yaml`, replacing what
 * was there. `cdk8s synth` empties the output directory first and passes it in CDK8S_OUTDIR.
 */
export function writeManifests(app: App, outdir: string = app.outdir): string[] {
  const written: string[] = [];
  validate(app);
  for (const chart of app.charts) {
    const dir = path.join(outdir, chart.node.id);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const seen = new Set<string>();
    for (const f of toFiles(renderChart(chart))) {
      if (seen.has(f.fileName)) throw new Error(`${chart.node.path}: two objects would be written to ${f.fileName}: kind and name must be unique`);
      seen.add(f.fileName);
      fs.writeFileSync(path.join(dir, f.fileName), f.content);
      written.push(path.join(dir, f.fileName));
    }
  }
  return written;
}
