import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { makeSyncHook, setSyncWave, SyncWave } from '../common/argocd';
import { MANAGED_BY, PART_OF } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../common/pod-security';
import { renderResources, resources } from '../common/resources';
import { WorkloadNetworkPolicies } from '../network/workload-network-policies';
import { MlflowServer } from '../server/mlflow-server';
import { restrictedNamespace, workloadServiceAccount } from '../common/workload-identity';

/** A minimal training run: a parameter, a metric and an artifact through the server's artifact proxy. */
export const TRAINING_SCRIPT = [
  'import os, mlflow',
  "mlflow.set_experiment(os.environ.get('EXPERIMENT', 'ml-team-demo'))",
  "with mlflow.start_run(run_name=os.environ.get('RUN_NAME', 'train')) as run:",
  "    mlflow.log_param('alpha', 0.5)",
  "    mlflow.log_metric('rmse', 0.42)",
  "    path = '/tmp/model-card.txt'",
  "    open(path, 'w').write('trained by ml-team\\n')",
  '    mlflow.log_artifact(path)',
  "    print(f'logged run {run.info.run_id} to {mlflow.get_tracking_uri()}', flush=True)",
].join('\n');

/**
 * ml-team-clients: workloads of a team namespace that use an MLflow server of another chart:
 * a one-shot training Job (an Argo CD Sync hook, re-run on every sync) and a nightly CronJob.
 * `server.allowClient()` labels them, wires MLFLOW_TRACKING_URI and opens the NetworkPolicies
 * on both sides (the server admits this namespace's client pods; the clients may reach the server).
 */
export function mlTeamClients(app: App, server: MlflowServer): Chart {
  const namespace = 'ml-team';
  const chart = new Chart(app, 'ml-team-clients', { namespace, disableResourceNameHashes: true });
  const labels = (component: string) => ({
    'app.kubernetes.io/name': 'ml-team-training',
    'app.kubernetes.io/instance': 'ml-team',
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  });

  restrictedNamespace(chart, namespace);
  workloadServiceAccount(chart, 'trainer', labels('training'));

  const podSpec = (): k8s.PodSpec => ({
    serviceAccountName: 'trainer',
    automountServiceAccountToken: false,
    restartPolicy: 'Never',
    securityContext: restrictedPodSecurityContext(chart, 'trainer'),
    containers: [{
      name: 'train',
      image: server.image.image,
      imagePullPolicy: server.image.pullPolicy,
      command: ['python3', '-c', TRAINING_SCRIPT],
      env: [{ name: 'HOME', value: '/tmp' }, { name: 'PYTHONDONTWRITEBYTECODE', value: '1' }],
      securityContext: restrictedContainerSecurityContext(),
      resources: renderResources(chart, 'trainer.resources', undefined, resources(['250m', '1'], ['512Mi', '1Gi'], ['256Mi', '1Gi'])),
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    }],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('512Mi') } }],
  });

  const jobSpec = (): k8s.JobSpec => ({
    backoffLimit: 2,
    activeDeadlineSeconds: 3600,
    ttlSecondsAfterFinished: 86400,
    template: { metadata: { labels: labels('training') }, spec: podSpec() },
  });

  const once = new k8s.KubeJob(chart, 'TrainOnce', {
    metadata: { name: 'train-once', labels: labels('training') },
    spec: jobSpec(),
  });
  makeSyncHook(once, SyncWave.SERVER);

  const nightly = new k8s.KubeCronJob(chart, 'TrainNightly', {
    metadata: { name: 'train-nightly', labels: labels('training') },
    spec: {
      schedule: '0 2 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels: labels('training') },
        spec: jobSpec(),
      },
    },
  });
  setSyncWave(nightly, SyncWave.SERVER);

  server.allowClient(once);
  server.allowClient(nightly);
  new WorkloadNetworkPolicies(chart, 'NetworkPolicies', {
    namespace,
    defaultDenyName: 'ml-team-default-deny',
    labels: { 'app.kubernetes.io/instance': 'ml-team' },
  });
  return chart;
}
