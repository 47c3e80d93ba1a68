import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { setSyncWave, skipDryRunOnMissingResource, SyncWave } from '../common/argocd';
import { invalid } from '../common/errors';

/**
 * Renders a custom resource that produces a Secret (SealedSecret, ExternalSecret, generator) in
 * `chart`: sync wave PREREQUISITES, `SkipDryRunOnMissingResource=true` (the CRD may be missing
 * when Argo CD dry-runs), never any secret data.
 */
export function renderSecretResource(chart: Construct, bindScope: IConstruct, prop: string, props: { apiVersion: string; kind: string; name: string; annotations?: Record<string, string>; labels?: Record<string, string>; spec: any }): ApiObject {
  const cid = `${props.kind}-${props.name}`;
  if (chart.node.tryFindChild(cid)) {
    invalid(bindScope, prop, props.name, `another secret source already renders a ${props.kind} named "${props.name}" in this chart; give each source its own name (or reuse the same SecretSource object)`);
  }
  const obj = new ApiObject(chart, cid, {
    apiVersion: props.apiVersion,
    kind: props.kind,
    metadata: {
      name: props.name,
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s-mlflow', ...(props.labels ?? {}) },
      ...(props.annotations ? { annotations: props.annotations } : {}),
    },
    spec: props.spec,
  });
  setSyncWave(obj, SyncWave.PREREQUISITES);
  skipDryRunOnMissingResource(obj);
  return obj;
}

/** Formats seconds as a Go duration (`1h30m`, `45s`), as ESO's refreshInterval expects. */
export function goDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

/** Secret data keys: letters, digits, '-', '_', '.'. */
export function checkSecretDataKey(scope: IConstruct, prop: string, key: string): string {
  if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253) {
    invalid(scope, prop, key, "must be a Secret data key of letters, digits, '-', '_' and '.'");
  }
  return key;
}
