import { App, Chart } from 'cdk8s';
import { ArgoCdApplication } from '../argocd/argocd-application';
import { MlflowChart } from '../chart/mlflow-chart';

/** Where this repository (and its committed dist/) lives; replace with your fork. */
export const REPO_URL = 'https://git.example.com/platform/cdk8s-mlflow.git';

/**
 * One Argo CD Application per deployment, in a chart of their own (dist/argocd-applications/),
 * so the deployment folders stay pure directory apps.
 */
export function argoCdApplications(app: App, deployments: MlflowChart[], others: Chart[] = []): Chart {
  const chart = new Chart(app, 'argocd-applications', { disableResourceNameHashes: true });
  for (const d of deployments) {
    new ArgoCdApplication(chart, d.node.id, {
      name: `mlflow-${d.node.id}`,
      repoUrl: REPO_URL,
      path: `dist/${d.node.id}`,
      destinationNamespace: d.server.namespace,
    });
  }
  for (const c of others) {
    new ArgoCdApplication(chart, c.node.id, {
      name: c.node.id,
      repoUrl: REPO_URL,
      path: `dist/${c.node.id}`,
      destinationNamespace: c.namespace!,
    });
  }
  return chart;
}
