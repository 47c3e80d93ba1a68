import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { baseProps, envMap, one, serverContainer, synthMlflow } from './helpers/synth';
import { MlflowChart } from '../src/chart/mlflow-chart';
import { MlflowServer } from '../src/server/mlflow-server';
import { MlflowImage, SecretKey, SecretSource, ServiceExposure } from '../src';

describe('MlflowServer defaults', () => {
  const objects = synthMlflow();
  const deploy = one(objects, 'Deployment', 'mlflow');
  const pod = deploy.spec.template.spec;
  const c = serverContainer(objects);

  test('runs mlflow server on 0.0.0.0 with the configured port and workers', () => {
    expect(c.command).toEqual(['mlflow']);
    expect(c.args.slice(0, 7)).toEqual(['server', '--host', '0.0.0.0', '--port', '5000', '--workers', '2']);
    expect(c.args).toContain('--serve-artifacts');
    expect(c.args).toEqual(expect.arrayContaining(['--artifacts-destination', 's3://my-bucket']));
  });

  test('pins the official -full image with an explicit pull policy', () => {
    expect(c.image).toBe('ghcr.io/mlflow/mlflow:v3.17.0-full');
    expect(c.imagePullPolicy).toBe('IfNotPresent');
  });

  test('one replica, rolling update without unavailability, no PDB', () => {
    expect(deploy.spec.replicas).toBe(1);
    expect(deploy.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(objects.filter(o => o.kind === 'PodDisruptionBudget')).toHaveLength(0);
    expect(pod.affinity).toBeUndefined();
  });

  test('pod security: non-root ids >= 10000, seccomp, read-only root, drop ALL', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    for (const k of [...pod.containers, ...pod.initContainers]) {
      expect(k.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('mlflow');
    expect(one(objects, 'ServiceAccount', 'mlflow').automountServiceAccountToken).toBe(false);
  });

  test('/tmp is a size-limited emptyDir and HOME points at it', () => {
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '2Gi' } });
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(envMap(c).HOME).toBe('/tmp');
  });

  test('telemetry off, job execution off', () => {
    expect(envMap(c).MLFLOW_DISABLE_TELEMETRY).toBe('true');
    expect(envMap(c).MLFLOW_SERVER_ENABLE_JOB_EXECUTION).toBe('false');
  });

  test('allowed hosts list every Service DNS name bare and with any port', () => {
    const hosts = envMap(c).MLFLOW_SERVER_ALLOWED_HOSTS.split(',');
    for (const h of ['mlflow', 'mlflow.mlflow', 'mlflow.mlflow.svc', 'mlflow.mlflow.svc.cluster.local']) {
      expect(hosts).toContain(h);
      expect(hosts).toContain(`${h}:*`);
    }
    expect(hosts).toContain('10.*');
  });

  test('probes: startup and readiness on /health, liveness differs', () => {
    expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(c.livenessProbe.httpGet).toBeUndefined();
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).toBe(300);
  });

  test('resources: requests and limits for cpu, memory and ephemeral storage', () => {
    expect(c.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '1Gi', 'ephemeral-storage': '1Gi' },
      limits: { 'cpu': '1', 'memory': '2Gi', 'ephemeral-storage': '4Gi' },
    });
  });

  test('waits for the database before starting, with a bounded retry', () => {
    const init = pod.initContainers[0];
    expect(init.name).toBe('wait-for-database');
    expect(envMap(init).WAIT_ATTEMPTS).toBe('90');
    expect(init.command[2]).toContain('giving up after');
  });

  test('ClusterIP Service with a named port selecting the pods', () => {
    const svc = one(objects, 'Service', 'mlflow');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 5000, targetPort: 'http', protocol: 'TCP' }]);
    expect(svc.spec.selector).toEqual(deploy.spec.selector.matchLabels);
  });

  test('no Ingress unless asked', () => {
    expect(objects.filter(o => o.kind === 'Ingress')).toHaveLength(0);
  });

  test('sync waves: prerequisites, migration, server', () => {
    const wave = (o: any) => o.metadata.annotations['argocd.argoproj.io/sync-wave'];
    expect(wave(one(objects, 'Namespace'))).toBe('0');
    expect(wave(one(objects, 'ServiceAccount', 'mlflow'))).toBe('0');
    expect(wave(one(objects, 'Job'))).toBe('3');
    expect(wave(deploy)).toBe('4');
    for (const o of objects) expect(wave(o)).toMatch(/^-?[0-9]+$/);
  });

  test('the namespace enforces Pod Security restricted', () => {
    expect(one(objects, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});

describe('MlflowServer options', () => {
  test('replicas >= 2 add a PDB, anti-affinity and topology spread', () => {
    const objects = synthMlflow({ replicas: 3 });
    const pod = one(objects, 'Deployment').spec.template.spec;
    const pdb = one(objects, 'PodDisruptionBudget', 'mlflow');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
    expect(pdb.spec.selector.matchLabels).toEqual(one(objects, 'Deployment').spec.selector.matchLabels);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  test('workers, port, resources, custom image', () => {
    const objects = synthMlflow({
      workers: 4,
      port: 8080,
      image: MlflowImage.custom('harbor.example.com/ml/mlflow:2.22.1-pg', { mlflowVersion: '2.22.1' }),
      resources: { cpu: { request: Cpu.units(2), limit: Cpu.units(4) }, memory: { request: Size.gibibytes(8), limit: Size.gibibytes(16) } },
    });
    const c = serverContainer(objects);
    expect(c.args).toEqual(expect.arrayContaining(['--port', '8080', '--workers', '4']));
    expect(c.image).toBe('harbor.example.com/ml/mlflow:2.22.1-pg');
    expect(c.resources.limits).toMatchObject({ cpu: '4', memory: '16Gi', 'ephemeral-storage': '4Gi' });
    expect(one(objects, 'Job').metadata.name).toBe('mlflow-migrate-2-22-1');
    expect(one(objects, 'Service').spec.ports[0].port).toBe(8080);
  });

  test('static prefix moves the probes and sends an allowed Host header', () => {
    const c = serverContainer(synthMlflow({ staticPrefix: '/mlflow' }));
    expect(c.args).toEqual(expect.arrayContaining(['--static-prefix', '/mlflow']));
    expect(c.readinessProbe.httpGet.path).toBe('/mlflow/health');
    expect(c.readinessProbe.httpGet.httpHeaders).toEqual([{ name: 'Host', value: 'mlflow.mlflow.svc.cluster.local' }]);
  });

  test('extra env, secret env, envFrom, args, volumes, scheduling', () => {
    const objects = synthMlflow({
      env: { MLFLOW_LOGGING_LEVEL: 'DEBUG' },
      secretEnv: { MLFLOW_FLASK_SERVER_SECRET_KEY: SecretKey.fromExisting('flask', 'key') },
      envFromSecrets: [SecretSource.existing('extra-env')],
      extraArgs: ['--gunicorn-opts', '--timeout 120'],
      volumes: [{ name: 'ca', configMap: { name: 'ca' } }],
      volumeMounts: [{ name: 'ca', mountPath: '/etc/ca', readOnly: true }],
      nodeSelector: { pool: 'ml' },
      tolerations: [{ key: 'ml', operator: 'Exists', effect: 'NoSchedule' }],
      priorityClassName: 'mlops-high',
      imagePullSecrets: ['harbor'],
    });
    const pod = one(objects, 'Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(envMap(c).MLFLOW_LOGGING_LEVEL).toBe('DEBUG');
    expect(envMap(c).MLFLOW_FLASK_SERVER_SECRET_KEY).toEqual({ secretKeyRef: { name: 'flask', key: 'key' } });
    expect(c.envFrom).toEqual([{ secretRef: { name: 'extra-env' } }]);
    expect(c.args.slice(-2)).toEqual(['--gunicorn-opts', '--timeout 120']);
    expect(pod.volumes).toContainEqual({ name: 'ca', configMap: { name: 'ca' } });
    expect(c.volumeMounts).toContainEqual({ name: 'ca', mountPath: '/etc/ca', readOnly: true });
    expect(pod.nodeSelector).toEqual({ pool: 'ml' });
    expect(pod.tolerations).toHaveLength(1);
    expect(pod.priorityClassName).toBe('mlops-high');
    expect(pod.imagePullSecrets).toEqual([{ name: 'harbor' }]);
  });

  test('NodePort and LoadBalancer exposures', () => {
    const np = one(synthMlflow({ service: ServiceExposure.nodePort(30800) }), 'Service');
    expect(np.spec.type).toBe('NodePort');
    expect(np.spec.ports[0].nodePort).toBe(30800);
    const objects = synthMlflow({ service: ServiceExposure.loadBalancer({ loadBalancerIp: '192.168.1.240', nodePort: 30800 }) });
    const lb = one(objects, 'Service');
    expect(lb.spec.type).toBe('LoadBalancer');
    expect(lb.spec.loadBalancerIP).toBe('192.168.1.240');
    expect(lb.metadata.annotations['metallb.universe.tf/loadBalancerIPs']).toBe('192.168.1.240');
    expect(envMap(serverContainer(objects)).MLFLOW_SERVER_ALLOWED_HOSTS.split(',')).toContain('192.168.1.240:*');
  });

  test('Ingress: TLS by default, cert-manager, body size and timeouts, hosts feed allowed hosts and CORS', () => {
    const objects = synthMlflow({
      ingress: { hosts: ['mlflow.example.com'], className: 'nginx', clusterIssuer: 'letsencrypt-prod', maxBodySize: Size.gibibytes(10), timeout: Duration.minutes(15) },
    });
    const ing = one(objects, 'Ingress', 'mlflow');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.tls).toEqual([{ hosts: ['mlflow.example.com'], secretName: 'mlflow-tls' }]);
    expect(ing.metadata.annotations).toMatchObject({
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
      'nginx.ingress.kubernetes.io/proxy-body-size': '10g',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '900',
    });
    expect(ing.spec.rules[0].http.paths[0]).toEqual({ path: '/', pathType: 'Prefix', backend: { service: { name: 'mlflow', port: { name: 'http' } } } });
    const env = envMap(serverContainer(objects));
    expect(env.MLFLOW_SERVER_ALLOWED_HOSTS.split(',')).toEqual(expect.arrayContaining(['mlflow.example.com', 'mlflow.example.com:*']));
    expect(env.MLFLOW_SERVER_CORS_ALLOWED_ORIGINS).toBe('https://mlflow.example.com');
  });

  test('env names that point at a credential (*_FILE, *_PATH, *_DIR) or merely contain KEY are plain', () => {
    const env = envMap(serverContainer(synthMlflow({ env: { DB_PASSWORD_FILE: '/etc/db/password', KEYCLOAK_URL: 'https://sso.example.com' } })));
    expect(env.DB_PASSWORD_FILE).toBe('/etc/db/password');
    expect(env.KEYCLOAK_URL).toBe('https://sso.example.com');
  });

  test('job execution can be turned on', () => {
    expect(envMap(serverContainer(synthMlflow({ enableJobExecution: true }))).MLFLOW_SERVER_ENABLE_JOB_EXECUTION).toBe('true');
  });
});

describe('MlflowServer rejects bad input with the prop and what is allowed', () => {
  const cases: Array<[string, any, RegExp]> = [
    ['invalid name', { name: 'MLflow_Server' }, /test\/Server: invalid name "MLflow_Server": must be a DNS-1123 label/],
    ['negative replicas', { replicas: -1 }, /invalid replicas -1: must be an integer from 0 to 100/],
    ['fractional replicas', { replicas: 1.5 }, /invalid replicas 1.5/],
    ['latest tag', { image: MlflowImage.custom('ghcr.io/mlflow/mlflow:latest', { mlflowVersion: '3.17.0' }) }, /invalid image.image "ghcr.io\/mlflow\/mlflow:latest": must be an image reference pinned/],
    ['untagged image', { image: MlflowImage.custom('mlflow', { mlflowVersion: '3.17.0' }) }, /invalid image.image "mlflow"/],
    ['bad version', { image: MlflowImage.official('3.x') }, /invalid image.mlflowVersion "3.x": must be an MLflow version/],
    ['too old for -full', { image: MlflowImage.official('2.22.0') }, /the official -full image exists from 3.9.0/],
    ['port out of range', { port: 70000 }, /invalid port 70000: must be an integer from 1 to 65535/],
    ['ingress without host', { ingress: { hosts: [] } }, /invalid ingress.hosts \[\]: must list at least one host name/],
    ['ingress host with scheme', { ingress: { hosts: ['https://mlflow.example.com'] } }, /invalid ingress.hosts "https:\/\/mlflow.example.com"/],
    ['workers 0', { workers: 0 }, /invalid workers 0/],
    ['static prefix with trailing slash', { staticPrefix: '/mlflow/' }, /invalid staticPrefix "\/mlflow\/"/],
    ['credential-like literal env', { env: { DB_PASSWORD: 'hunter2' } }, /invalid env.DB_PASSWORD "\(value hidden\)": names that look like credentials \(password, secret, token, key\) must come from a Secret: use secretEnv/],
    ['api key literal env', { env: { OPENAI_API_KEY: 'sk-123' } }, /invalid env.OPENAI_API_KEY "\(value hidden\)"/],
    ['duplicate env', { env: { HOME: '/root' } }, /invalid env "HOME": environment variable names must be unique/],
    ['node port out of range', { service: ServiceExposure.nodePort(80) }, /invalid service.nodePort 80: must be an integer from 30000 to 32767/],
    ['bad load balancer IP', { service: ServiceExposure.loadBalancer({ loadBalancerIp: '300.1.1.1' }) }, /invalid service.loadBalancerIp "300.1.1.1"/],
    ['uid below 10000', { podIdentity: { runAsUser: 1000 } }, /invalid podIdentity.runAsUser 1000: must be an integer from 10000/],
    ['request above limit', { resources: { cpu: { request: Cpu.units(2), limit: Cpu.units(1) } } }, /invalid resources.cpu .*the request must not exceed the limit/],
    ['tmp larger than ephemeral limit', { tmpSize: Size.gibibytes(8) }, /invalid tmpSize "8Gi": must not exceed the ephemeral-storage limit \(4Gi\)/],
    ['namespace not a label', { namespace: 'ML' }, /invalid namespace "ML"/],
  ];
  test('two servers of the same name in one chart', () => {
    const app = Testing.app();
    const chart = new MlflowChart(app, 'twice', baseProps());
    expect(() => new MlflowServer(chart, 'Second', baseProps())).toThrow(/twice: invalid workload name "mlflow": is used by two workloads of this chart/);
  });
  test.each(cases)('%s', (_name, props, message) => {
    expect(() => synthMlflow(props, Testing.app())).toThrow(message);
  });
});
