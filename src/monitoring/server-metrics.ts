import { k8s } from 'cdk8s-plus-28';
import type { MlflowServer } from '../server/mlflow-server';

/**
 * Directory of the Prometheus multiprocess files (`--expose-prometheus`): its own emptyDir,
 * shared by every worker of the pod.
 */
const METRICS_DIR = '/prometheus-multiproc';
/** Name of the pod volume that holds {@link METRICS_DIR}. */
const METRICS_VOLUME = 'prometheus-multiproc';
/** Path of the metrics endpoint: on the main port, never under `--static-prefix`. */
export const METRICS_PATH = '/metrics';
/** Size limit of the multiprocess emptyDir (a few MiB per worker process and metric type). */
const METRICS_DIR_SIZE = '128Mi';

/**
 * Turns on MLflow's Prometheus exporter (`--expose-prometheus`, prometheus-flask-exporter in
 * multiprocess mode) on a server and returns the container command to use.
 *
 * The multiprocess directory must be empty when the server starts, but an emptyDir survives a
 * container restart (only a new pod gets a fresh one), and an init container does not run again
 * on a container restart. So the server container itself empties the directory before it
 * `exec`s `mlflow` (through `/bin/sh -c`, with the same arguments): the image needs `/bin/sh`
 * and `find`, which the official images (Debian based) have.
 */
export function enableServerMetrics(server: MlflowServer): string[] {
  server.addVolume(
    { name: METRICS_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString(METRICS_DIR_SIZE) } },
    { name: METRICS_VOLUME, mountPath: METRICS_DIR },
  );
  server.addArgs('--expose-prometheus', METRICS_DIR);
  return ['/bin/sh', '-c', `find ${METRICS_DIR} -mindepth 1 -delete && exec mlflow "$@"`, 'mlflow'];
}
