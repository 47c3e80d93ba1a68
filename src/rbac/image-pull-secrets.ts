import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';

const POD_SPEC_PATH: Record<string, string> = {
  Deployment: '/spec/template/spec',
  StatefulSet: '/spec/template/spec',
  DaemonSet: '/spec/template/spec',
  Job: '/spec/template/spec',
  CronJob: '/spec/jobTemplate/spec/template/spec',
};

/**
 * Puts the same `imagePullSecrets` on the pod spec of every workload rendered so far under
 * `scope` (server, migration, database, object store, set-up Jobs): pulls from a private registry
 * (e.g. Harbor mirroring every image) work without relying on the ServiceAccount admission.
 * Workloads added later (clients) are the caller's.
 */
export function applyImagePullSecrets(scope: IConstruct, names: string[] | undefined): void {
  if (!names?.length) return;
  const value = names.map(name => ({ name }));
  for (const obj of scope.node.findAll()) {
    if (!(obj instanceof ApiObject)) continue;
    const path = POD_SPEC_PATH[obj.kind];
    if (path) obj.addJsonPatch(JsonPatch.add(`${path}/imagePullSecrets`, value));
  }
}
