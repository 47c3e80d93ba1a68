/** The `app.kubernetes.io/*` labels every object carries. */
export interface StandardLabelsOptions {
  /** app.kubernetes.io/name, e.g. `mlflow`, `postgresql`, `minio`. */
  readonly name: string;
  /** app.kubernetes.io/instance: the MLflow stack this object belongs to. */
  readonly instance: string;
  /** app.kubernetes.io/component, e.g. `server`, `database`. */
  readonly component: string;
  /** app.kubernetes.io/version, when the object runs a known version. */
  readonly version?: string;
}

export const PART_OF = 'mlflow';
export const MANAGED_BY = 'cdk8s-mlflow';

/** Labels that select the pods of one workload (stable across upgrades: no version). */
export function selectorLabels(o: StandardLabelsOptions): Record<string, string> {
  return {
    'app.kubernetes.io/name': o.name,
    'app.kubernetes.io/instance': o.instance,
    'app.kubernetes.io/component': o.component,
  };
}

/** Full recommended label set for metadata and pod templates. */
export function standardLabels(o: StandardLabelsOptions): Record<string, string> {
  const labels: Record<string, string> = {
    ...selectorLabels(o),
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
  if (o.version) labels['app.kubernetes.io/version'] = o.version;
  return labels;
}
