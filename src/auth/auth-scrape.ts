import type { MlflowMonitoringOptions } from '../monitoring/monitoring-options';
import type { MlflowAuthOptions } from './auth-options';

/**
 * Under basic-auth `/metrics` needs credentials: a ServiceMonitor rendered in the server's
 * namespace without `basicAuth` scrapes with the admin Secret's keys (the Secret lives there).
 * A ServiceMonitor in another namespace must name a Secret of that namespace itself.
 */
export function monitoringWithAuth(monitoring: MlflowMonitoringOptions | undefined, auth: MlflowAuthOptions | undefined, namespace: string): MlflowMonitoringOptions | undefined {
  const sm = monitoring?.serviceMonitor;
  if (!auth || !sm || sm.basicAuth || (sm.namespace !== undefined && sm.namespace !== namespace)) return monitoring;
  return { ...monitoring, serviceMonitor: { ...sm, basicAuth: { username: auth.adminUsername, password: auth.adminPassword } } };
}
