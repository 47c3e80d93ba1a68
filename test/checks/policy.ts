import { at, containersOf, CORE_KINDS, K8sObject, KNOWN_CUSTOM_API_VERSIONS, podTemplates, PodTemplate, Reporter, STABLE_API_VERSION, CLUSTER_SCOPED } from './types';

// Per-object rules of MANIFEST-CHECKLIST.md: 1-8 (pod templates), 14 (apiVersions), 15 (RBAC), 16 (names, labels).

const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'secret', 'emptyDir', 'projected', 'downwardAPI', 'persistentVolumeClaim', 'csi', 'ephemeral']);
const MIN_ID = 10000;
/** Env names that must never carry a literal value (kube-linter env-var-secret, Polaris). */
export const CREDENTIAL_ENV_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|(^|[_.-])KEY($|[_.-])|APIKEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
/** Names that point at where a credential is (a mounted file, another variable), e.g. POSTGRES_PASSWORD_FILE. */
export const CREDENTIAL_POINTER = /_(FILE|PATH|DIR|ENV)$/i;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Kinds whose name must be a DNS-1123 label (not just a subdomain). */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service', 'StatefulSet', 'Deployment', 'CronJob']);

/** Rules 1-8 on every pod template of the object. */
export function checkPodTemplates(o: K8sObject, r: Reporter): void {
  for (const t of podTemplates(o)) {
    checkHostAccess(t, r);
    checkPodSecurityContext(t, r);
    checkContainerSecurity(t, r);
    checkServiceAccountUse(t, r);
    for (const { c, path } of containersOf(t)) {
      checkImage(t.owner, c, path, r);
      checkResources(t.owner, c, path, r);
      checkEnv(t.owner, c, path, r);
    }
    checkProbes(t, r);
  }
}

// 1. no host namespaces, ports or paths; only allowed volume types
function checkHostAccess(t: PodTemplate, r: Reporter): void {
  const o = t.owner;
  const sp = at(t.path, 'spec');
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (t.spec[f] === true) r.add(1, ['PSS', 'KL', 'PO'], o, at(sp, f), `${f} must not be true`);
  }
  (t.spec.volumes ?? []).forEach((v: any, i: number) => {
    const types = Object.keys(v).filter(k => k !== 'name');
    for (const ty of types) {
      if (!ALLOWED_VOLUME_TYPES.has(ty)) r.add(1, ['PSS', 'KL', 'PO'], o, at(sp, `volumes[${i}].${ty}`), `volume "${v.name}" uses ${ty}; only ${[...ALLOWED_VOLUME_TYPES].join(', ')} are allowed`);
    }
  });
  for (const { c, path } of containersOf(t)) {
    (c.ports ?? []).forEach((p: any, i: number) => {
      if (p.hostPort !== undefined && p.hostPort !== 0) r.add(1, ['PSS', 'KL', 'PO'], o, at(path, `ports[${i}].hostPort`), `container "${c.name}" must not use a hostPort`);
    });
  }
}

// 2. pod securityContext
function checkPodSecurityContext(t: PodTemplate, r: Reporter): void {
  const o = t.owner;
  const p = at(at(t.path, 'spec'), 'securityContext');
  const sc = t.spec.securityContext;
  const origin: any = ['PSS', 'KS', 'KL'];
  if (!sc) { r.add(2, origin, o, p, 'pod securityContext is missing'); return; }
  if (sc.runAsNonRoot !== true) r.add(2, origin, o, at(p, 'runAsNonRoot'), 'must be true');
  for (const f of ['runAsUser', 'runAsGroup']) {
    if (typeof sc[f] !== 'number' || sc[f] < MIN_ID) r.add(2, origin, o, at(p, f), `must be an integer >= ${MIN_ID} (is ${JSON.stringify(sc[f])})`);
  }
  if (typeof sc.fsGroup !== 'number') r.add(2, origin, o, at(p, 'fsGroup'), 'must be set');
  if (sc.seccompProfile?.type !== 'RuntimeDefault' && sc.seccompProfile?.type !== 'Localhost') r.add(2, origin, o, at(p, 'seccompProfile.type'), 'must be RuntimeDefault');
  if (sc.runAsUser === 0 || sc.runAsGroup === 0) r.add(2, origin, o, p, 'must not run as root');
}

// 3. container securityContext; read-only root FS; mounts refer to declared volumes
function checkContainerSecurity(t: PodTemplate, r: Reporter): void {
  const o = t.owner;
  // a StatefulSet's volumeClaimTemplates are volumes of its pods too
  const claimTemplates = t.owner.kind === 'StatefulSet' ? (t.owner.spec?.volumeClaimTemplates ?? []) : [];
  const volumes = new Set([...(t.spec.volumes ?? []), ...claimTemplates.map((v: any) => v.metadata ?? {})].map((v: any) => v.name));
  const origin: any = ['KS', 'PSS', 'PO', 'KL'];
  for (const { c, path } of containersOf(t)) {
    const p = at(path, 'securityContext');
    const sc = c.securityContext;
    if (!sc) { r.add(3, origin, o, p, `container "${c.name}" has no securityContext`); continue; }
    if (sc.allowPrivilegeEscalation !== false) r.add(3, origin, o, at(p, 'allowPrivilegeEscalation'), 'must be false');
    if (sc.privileged !== false) r.add(3, origin, o, at(p, 'privileged'), 'must be false');
    if (sc.readOnlyRootFilesystem !== true) r.add(3, origin, o, at(p, 'readOnlyRootFilesystem'), 'must be true (mount emptyDirs where the image writes)');
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) r.add(3, origin, o, at(p, 'capabilities.drop'), 'must be [ALL]');
    if ((sc.capabilities?.add ?? []).length) r.add(3, origin, o, at(p, 'capabilities.add'), 'must add no capability');
    if (sc.runAsUser === 0) r.add(3, origin, o, at(p, 'runAsUser'), 'must not be 0');
    if (sc.runAsNonRoot === false) r.add(3, origin, o, at(p, 'runAsNonRoot'), 'must not be false');
    if (sc.seccompProfile && !['RuntimeDefault', 'Localhost'].includes(sc.seccompProfile.type)) r.add(3, origin, o, at(p, 'seccompProfile.type'), 'must be RuntimeDefault');
    (c.volumeMounts ?? []).forEach((m: any, i: number) => {
      if (!volumes.has(m.name)) r.add(3, origin, o, at(path, `volumeMounts[${i}].name`), `mounts volume "${m.name}" that the pod does not declare`);
    });
    const home = (c.env ?? []).find((e: any) => e.name === 'HOME')?.value;
    if (typeof home === 'string' && !(c.volumeMounts ?? []).some((m: any) => home === m.mountPath || home.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))) {
      r.add(3, origin, o, at(path, 'env'), `HOME=${home} is not on a writable volume (read-only root filesystem)`);
    }
  }
}

// 4. service account token and a dedicated ServiceAccount (existence is a cross-object rule)
function checkServiceAccountUse(t: PodTemplate, r: Reporter): void {
  const o = t.owner;
  const sp = at(t.path, 'spec');
  if (t.spec.automountServiceAccountToken !== false) {
    r.add(4, ['PO', 'KL'], o, at(sp, 'automountServiceAccountToken'), 'must be false unless the pod calls the Kubernetes API (then opt out with polaris.fairwinds.com/automountServiceAccountToken-exempt and say why)');
  }
  const sa = t.spec.serviceAccountName;
  if (!sa || sa === 'default') r.add(4, ['PO', 'KL'], o, at(sp, 'serviceAccountName'), 'must name a dedicated ServiceAccount (not "default")');
  if (t.spec.serviceAccount !== undefined) r.add(4, ['KL'], o, at(sp, 'serviceAccount'), 'deprecated field: use serviceAccountName');
}

// 5. image pinned, pull policy explicit
function checkImage(o: K8sObject, c: any, path: string, r: Reporter): void {
  const image: unknown = c.image;
  const origin: any = ['KL', 'KS', 'PO'];
  if (typeof image !== 'string' || image.length === 0) { r.add(5, origin, o, at(path, 'image'), 'image is missing'); return; }
  const digest = /@sha256:[a-f0-9]{64}$/.test(image);
  const noDigest = image.replace(/@.*$/, '');
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? noDigest.slice(colon + 1) : undefined;
  if (!digest && (!tag || tag === 'latest')) r.add(5, origin, o, at(path, 'image'), `image "${image}" must be pinned to a tag other than latest, or a digest`);
  if (!['IfNotPresent', 'Always', 'Never'].includes(c.imagePullPolicy)) r.add(5, origin, o, at(path, 'imagePullPolicy'), 'must be set explicitly');
}

// 6. requests and limits, as strings
function checkResources(o: K8sObject, c: any, path: string, r: Reporter): void {
  const origin: any = ['KS', 'PO', 'KL'];
  for (const kind of ['requests', 'limits']) {
    for (const res of ['cpu', 'memory', 'ephemeral-storage']) {
      const v = c.resources?.[kind]?.[res];
      const p = at(path, `resources.${kind}.${res}`);
      if (v === undefined) r.add(6, origin, o, p, `container "${c.name}" has no ${res} ${kind === 'requests' ? 'request' : 'limit'}`);
      else if (typeof v !== 'string') r.add(6, origin, o, p, `must be a string quantity (is ${typeof v} ${JSON.stringify(v)})`);
      else if (!/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.test(v)) r.add(6, origin, o, p, `"${v}" is not a quantity`);
    }
  }
}

// 8. env names unique; no literal value under a credential-like name
function checkEnv(o: K8sObject, c: any, path: string, r: Reporter): void {
  const seen = new Set<string>();
  (c.env ?? []).forEach((e: any, i: number) => {
    const p = at(path, `env[${i}]`);
    if (seen.has(e.name)) r.add(8, ['KL', 'PO'], o, at(p, 'name'), `duplicate env name ${e.name}`);
    seen.add(e.name);
    if (CREDENTIAL_ENV_NAME.test(e.name) && !CREDENTIAL_POINTER.test(e.name) && typeof e.value === 'string' && e.value !== '') {
      r.add(8, ['KL', 'PO'], o, at(p, 'value'), `env ${e.name} looks like a credential but carries a literal value; use valueFrom.secretKeyRef`);
    }
  });
}

// 7. probes on long-running containers
function checkProbes(t: PodTemplate, r: Reporter): void {
  const o = t.owner;
  const origin: any = ['KS', 'PO', 'KL'];
  for (const { c, path, init } of containersOf(t)) {
    const portNames = new Set((c.ports ?? []).map((p: any) => p.name).filter(Boolean));
    const portNumbers = new Set((c.ports ?? []).map((p: any) => p.containerPort));
    for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const probe = c[kind];
      if (!probe) continue;
      const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
      if (port === undefined) continue;
      const ok = typeof port === 'string' ? (/^[0-9]+$/.test(port) ? portNumbers.has(Number(port)) : portNames.has(port)) : portNumbers.has(port);
      if (!ok) r.add(7, origin, o, at(path, `${kind}.${probe.httpGet ? 'httpGet' : probe.tcpSocket ? 'tcpSocket' : 'grpc'}.port`), `probe port ${JSON.stringify(port)} is not a port of container "${c.name}"`);
    }
    if (init || t.oneShot) continue;
    if (!c.readinessProbe) r.add(7, origin, o, at(path, 'readinessProbe'), `long-running container "${c.name}" has no readinessProbe`);
    if (!c.livenessProbe) r.add(7, origin, o, at(path, 'livenessProbe'), `long-running container "${c.name}" has no livenessProbe`);
    if (c.readinessProbe && c.livenessProbe && probeTarget(c.readinessProbe) === probeTarget(c.livenessProbe)) {
      r.add(7, origin, o, at(path, 'livenessProbe'), `liveness and readiness probes of "${c.name}" are identical (${probeTarget(c.livenessProbe)}): a slow dependency would restart the pod`);
    }
  }
}

function probeTarget(p: any): string {
  if (p.httpGet) return `http ${p.httpGet.port} ${p.httpGet.path ?? '/'}`;
  if (p.tcpSocket) return `tcp ${p.tcpSocket.port}`;
  if (p.exec) return `exec ${JSON.stringify(p.exec.command)}`;
  if (p.grpc) return `grpc ${p.grpc.port} ${p.grpc.service ?? ''}`;
  return 'none';
}

// 14. stable apiVersions for core kinds; only known custom resources otherwise
export function checkApiVersion(o: K8sObject, r: Reporter): void {
  const av: unknown = o.apiVersion;
  if (typeof av !== 'string') { r.add(14, ['KS', 'KL'], o, 'apiVersion', 'apiVersion is missing'); return; }
  const stable = STABLE_API_VERSION[o.kind];
  if (stable) {
    if (av !== stable) r.add(14, ['KS', 'KL'], o, 'apiVersion', `${o.kind} must use ${stable}, not ${av}`);
    return;
  }
  const group = av.includes('/') ? av.split('/')[0] : '';
  const builtInGroup = group === '' || !group.includes('.') || group.endsWith('.k8s.io');
  if (builtInGroup && /v[0-9]+(alpha|beta)[0-9]*$/.test(av)) r.add(14, ['KS', 'KL'], o, 'apiVersion', `${av} is not a stable Kubernetes API version`);
}

/** Whether the object is a known custom resource (generic rules only). */
export function isKnownCustomResource(o: K8sObject): boolean {
  return (KNOWN_CUSTOM_API_VERSIONS[o.apiVersion] ?? []).includes(o.kind);
}

// 15. RBAC
export function checkRbac(o: K8sObject, r: Reporter): void {
  const origin: any = ['KL', 'KS', 'PO'];
  if (o.kind === 'Role' || o.kind === 'ClusterRole') {
    (o.rules ?? []).forEach((rule: any, i: number) => {
      const p = `rules[${i}]`;
      for (const f of ['apiGroups', 'resources', 'verbs', 'resourceNames', 'nonResourceURLs']) {
        if ((rule[f] ?? []).some((x: string) => x === '*' || x.includes('*'))) r.add(15, origin, o, at(p, f), `wildcard in ${f}`);
      }
      for (const res of rule.resources ?? []) {
        if (['pods/exec', 'pods/attach', 'pods/portforward'].includes(res)) r.add(15, origin, o, at(p, 'resources'), `grants ${res}`);
        if (res === 'secrets' && (rule.verbs ?? []).some((v: string) => ['list', 'watch'].includes(v))) r.add(15, origin, o, at(p, 'verbs'), 'list/watch on secrets reads every Secret');
      }
      const nameable = (rule.verbs ?? []).some((v: string) => ['get', 'update', 'patch', 'delete'].includes(v));
      if (o.kind === 'Role' && nameable && !(rule.resourceNames ?? []).length) r.add(15, origin, o, at(p, 'resourceNames'), 'Role rules on get/update/patch/delete must be scoped with resourceNames');
    });
  }
  if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
    if (['cluster-admin', 'admin', 'edit'].includes(o.roleRef?.name) && o.roleRef?.kind === 'ClusterRole') r.add(15, origin, o, 'roleRef.name', `binds the built-in ClusterRole ${o.roleRef.name}`);
    (o.subjects ?? []).forEach((s: any, i: number) => {
      if (s.kind === 'Group' && ['system:authenticated', 'system:unauthenticated', 'system:anonymous'].includes(s.name)) r.add(15, origin, o, `subjects[${i}].name`, `binds ${s.name}`);
    });
  }
}

// 16. names, labels, annotations
export function checkMetadata(o: K8sObject, r: Reporter): void {
  const origin: any = ['K8s', 'KL'];
  const md = o.metadata ?? {};
  const name = md.name;
  if (typeof name !== 'string' || !DNS1123_SUBDOMAIN.test(name) || name.length > 253) r.add(16, origin, o, 'metadata.name', `name ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  else if (LABEL_NAMED_KINDS.has(o.kind) && (name.length > 63 || !DNS1123_LABEL.test(name))) r.add(16, origin, o, 'metadata.name', `${o.kind} name ${name} must be a DNS-1123 label (<= 63 characters, no dots)`);
  else if (o.kind === 'CronJob' && name.length > 52) r.add(16, origin, o, 'metadata.name', 'CronJob names must be <= 52 characters');
  if (md.namespace !== undefined && !CLUSTER_SCOPED.has(o.kind) && (typeof md.namespace !== 'string' || !DNS1123_LABEL.test(md.namespace))) {
    r.add(16, origin, o, 'metadata.namespace', `namespace ${JSON.stringify(md.namespace)} is not a DNS-1123 label`);
  }
  const checkLabelMap = (labels: any, p: string) => {
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (!QUALIFIED_NAME.test(k) || k.split('/').pop()!.length > 63) r.add(16, origin, o, `${p}[${k}]`, `label key ${k} is not a qualified name`);
      if (typeof v !== 'string') r.add(16, origin, o, `${p}[${k}]`, `label value must be a string (is ${typeof v})`);
      else if (v.length > 63 || !LABEL_VALUE.test(v)) r.add(16, origin, o, `${p}[${k}]`, `label value ${JSON.stringify(v)} is invalid (<= 63 chars of [A-Za-z0-9-_.], alphanumeric at both ends)`);
    }
  };
  const checkAnnotationMap = (ann: any, p: string) => {
    for (const [k, v] of Object.entries(ann ?? {})) {
      if (!QUALIFIED_NAME.test(k) || k.split('/').pop()!.length > 63) r.add(16, origin, o, `${p}[${k}]`, `annotation key ${k} is not a qualified name`);
      if (typeof v !== 'string') r.add(16, origin, o, `${p}[${k}]`, `annotation value must be a string (is ${typeof v})`);
    }
  };
  checkLabelMap(md.labels, 'metadata.labels');
  checkAnnotationMap(md.annotations, 'metadata.annotations');
  for (const t of podTemplates(o)) {
    if (!t.path) continue;
    checkLabelMap(t.labels, at(t.path, 'metadata.labels'));
    checkAnnotationMap((o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template)?.metadata?.annotations, at(t.path, 'metadata.annotations'));
  }
  (o.spec?.volumeClaimTemplates ?? []).forEach((v: any, i: number) => {
    checkLabelMap(v.metadata?.labels, `spec.volumeClaimTemplates[${i}].metadata.labels`);
    checkAnnotationMap(v.metadata?.annotations, `spec.volumeClaimTemplates[${i}].metadata.annotations`);
  });
}

/** Every per-object policy rule. */
export function checkObjectPolicy(o: K8sObject, r: Reporter): void {
  checkApiVersion(o, r);
  checkMetadata(o, r);
  if (!CORE_KINDS.has(o.kind)) return; // custom resources: generic rules only
  checkPodTemplates(o, r);
  checkRbac(o, r);
}
