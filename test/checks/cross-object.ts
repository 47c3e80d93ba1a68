import { at, CLUSTER_SCOPED, containersOf, K8sObject, mapSelects, objectId, podTemplates, PodTemplate, Reporter, selects } from './types';

// Rules that relate objects: 4 (ServiceAccount exists), 9 (PDB, spreading), 10 (selectors), 11 (Services,
// headless Services, referenced ConfigMaps), 12 (Ingress backends), 13 (NetworkPolicy), 17 (ServiceMonitor), 21 (duplicates).

const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function ns(o: K8sObject): string {
  return o.metadata?.namespace ?? '';
}

/** Options of the cross-object rules. */
export interface CrossObjectOptions {
  readonly requireNetworkPolicies: boolean;
  readonly requireIngressTls: boolean;
}

export function checkCrossObject(objects: K8sObject[], r: Reporter, options: CrossObjectOptions): void {
  const templates = objects.flatMap(o => podTemplates(o));
  checkDuplicates(objects, r);
  checkServiceAccounts(objects, templates, r);
  checkSelectors(objects, r);
  checkDisruption(objects, templates, r);
  checkServices(objects, templates, r);
  checkConfigMapRefs(objects, templates, r);
  checkIngresses(objects, r, options.requireIngressTls);
  checkNetworkPolicies(objects, templates, r, options.requireNetworkPolicies);
  checkServiceMonitors(objects, templates, r);
}

// 21. no duplicate (kind, namespace, name)
function checkDuplicates(objects: K8sObject[], r: Reporter): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.apiVersion?.split('/').length === 2 ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${CLUSTER_SCOPED.has(o.kind) ? '' : ns(o)}/${o.metadata?.name}`;
    if (seen.has(key)) r.add(21, ['K8s'], o, 'metadata.name', `duplicate object ${objectId(o)}`);
    seen.add(key);
  }
}

// 4. the ServiceAccount exists in the same output and namespace
function checkServiceAccounts(objects: K8sObject[], templates: PodTemplate[], r: Reporter): void {
  for (const t of templates) {
    const sa = t.spec.serviceAccountName;
    if (!sa || sa === 'default') continue; // reported by the per-object rule
    if (!objects.some(o => o.kind === 'ServiceAccount' && o.metadata?.name === sa && ns(o) === ns(t.owner))) {
      r.add(4, ['KL', 'PO'], t.owner, at(t.path, 'spec.serviceAccountName'), `ServiceAccount ${sa} is not in the output`);
    }
  }
}

// 10. selectors are subsets of template labels; app.kubernetes.io/instance consistent
function checkSelectors(objects: K8sObject[], r: Reporter): void {
  for (const o of objects) {
    for (const t of podTemplates(o)) {
      if (!t.path || o.kind === 'Job' || o.kind === 'CronJob') continue;
      const sel = o.spec?.selector;
      if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) {
        r.add(10, ['KL', 'KS', 'PO'], o, 'spec.selector', 'selector is missing or empty');
        continue;
      }
      if (!selects(sel, t.labels)) r.add(10, ['KL', 'KS', 'PO'], o, 'spec.selector.matchLabels', `selector ${JSON.stringify(sel.matchLabels)} does not match the template labels`);
    }
    const inst = o.metadata?.labels?.['app.kubernetes.io/instance'];
    for (const t of podTemplates(o)) {
      const ti = t.labels['app.kubernetes.io/instance'];
      if (inst !== undefined && ti !== undefined && inst !== ti) {
        r.add(10, ['KL', 'KS', 'PO'], o, at(t.path, 'metadata.labels[app.kubernetes.io/instance]'), `instance label ${ti} differs from the object's ${inst}`);
      }
      const si = o.spec?.selector?.matchLabels?.['app.kubernetes.io/instance'];
      if (si !== undefined && inst !== undefined && si !== inst) r.add(10, ['KL', 'KS', 'PO'], o, 'spec.selector.matchLabels[app.kubernetes.io/instance]', `selector instance ${si} differs from the object's ${inst}`);
    }
  }
}

// 9. replicas >= 2: PDB (policy/v1, unhealthyPodEvictionPolicy), hostname anti-affinity, topology spread
function checkDisruption(objects: K8sObject[], templates: PodTemplate[], r: Reporter): void {
  const origin: any = ['KS', 'KL', 'PO'];
  const pdbs = objects.filter(o => o.kind === 'PodDisruptionBudget');
  for (const t of templates) {
    if (t.oneShot || t.replicas < 2 || t.owner.kind === 'DaemonSet') continue;
    const o = t.owner;
    const matching = pdbs.filter(p => ns(p) === ns(o) && selects(p.spec?.selector, t.labels));
    if (matching.length === 0) r.add(9, origin, o, 'spec.replicas', `${t.replicas} replicas but no PodDisruptionBudget selects the pods`);
    for (const p of matching) {
      if (!p.spec?.unhealthyPodEvictionPolicy) r.add(9, origin, p, 'spec.unhealthyPodEvictionPolicy', 'must be set (AlwaysAllow lets drains evict crash-looping pods)');
    }
    if (matching.length > 1) r.add(9, origin, o, 'spec.replicas', `${matching.length} PodDisruptionBudgets select the same pods (eviction fails)`);
    const aff = t.spec.affinity?.podAntiAffinity;
    const terms = [...(aff?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...(aff?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((x: any) => x.podAffinityTerm)];
    if (!terms.some((x: any) => x?.topologyKey === 'kubernetes.io/hostname' && selects(x.labelSelector, t.labels))) {
      r.add(9, origin, o, at(t.path, 'spec.affinity.podAntiAffinity'), 'no pod anti-affinity on kubernetes.io/hostname that selects the pods');
    }
    if (!(t.spec.topologySpreadConstraints ?? []).some((c: any) => selects(c.labelSelector, t.labels))) {
      r.add(9, origin, o, at(t.path, 'spec.topologySpreadConstraints'), 'no topology spread constraint that selects the pods');
    }
  }
  for (const p of pdbs) {
    if (p.apiVersion !== 'policy/v1') r.add(9, origin, p, 'apiVersion', 'PodDisruptionBudget must be policy/v1');
    if (!templates.some(t => ns(t.owner) === ns(p) && !t.oneShot && selects(p.spec?.selector, t.labels))) r.add(9, origin, p, 'spec.selector', 'selects no pod of the output');
  }
}

// 11. Services select pods of the output; port names; named targetPorts exist; StatefulSet headless Service
function checkServices(objects: K8sObject[], templates: PodTemplate[], r: Reporter): void {
  const origin: any = ['KL', 'KS'];
  for (const s of objects.filter(o => o.kind === 'Service')) {
    const spec = s.spec ?? {};
    if (spec.type === 'ExternalName') continue;
    const pods = templates.filter(t => ns(t.owner) === ns(s) && !t.oneShot && mapSelects(spec.selector, t.labels));
    if (!spec.selector || Object.keys(spec.selector).length === 0) r.add(11, origin, s, 'spec.selector', 'Service has no selector');
    else if (pods.length === 0) r.add(11, origin, s, 'spec.selector', `selects no pod of the output (${JSON.stringify(spec.selector)})`);
    (spec.ports ?? []).forEach((p: any, i: number) => {
      const pp = `spec.ports[${i}]`;
      if ((spec.ports.length > 1 || p.name !== undefined) && (typeof p.name !== 'string' || p.name.length > 15 || !IANA_SVC_NAME.test(p.name) || p.name.includes('--'))) {
        r.add(11, origin, s, at(pp, 'name'), `port name ${JSON.stringify(p.name)} is not an IANA_SVC_NAME (<= 15 of [a-z0-9-])`);
      }
      if (typeof p.targetPort === 'string' && pods.length) {
        for (const t of pods) {
          const has = containersOf(t).some(({ c, init }) => !init && (c.ports ?? []).some((cp: any) => cp.name === p.targetPort));
          if (!has) r.add(11, origin, s, at(pp, 'targetPort'), `targetPort ${p.targetPort} is not a container port of ${objectId(t.owner)}`);
        }
      } else if (typeof p.targetPort === 'number' && pods.length) {
        for (const t of pods) {
          const has = containersOf(t).some(({ c, init }) => !init && (c.ports ?? []).some((cp: any) => cp.containerPort === p.targetPort));
          if (!has) r.add(11, origin, s, at(pp, 'targetPort'), `targetPort ${p.targetPort} is not a declared container port of ${objectId(t.owner)}`);
        }
      }
    });
  }
  for (const st of objects.filter(o => o.kind === 'StatefulSet')) {
    const name = st.spec?.serviceName;
    const svc = objects.find(o => o.kind === 'Service' && o.metadata?.name === name && ns(o) === ns(st));
    if (!name) r.add(11, origin, st, 'spec.serviceName', 'StatefulSet must name its headless Service');
    else if (!svc) r.add(11, origin, st, 'spec.serviceName', `Service ${name} is not in the output`);
    else if (svc.spec?.clusterIP !== 'None') r.add(11, origin, st, 'spec.serviceName', `Service ${name} is not headless (clusterIP: None)`);
    else if (!mapSelects(svc.spec?.selector, st.spec?.template?.metadata?.labels ?? {})) r.add(11, origin, st, 'spec.serviceName', `headless Service ${name} does not select the StatefulSet's pods`);
  }
}

// 11 (KL dangling references): ConfigMaps mounted or read by pods exist (unless optional). Secrets are external.
function checkConfigMapRefs(objects: K8sObject[], templates: PodTemplate[], r: Reporter): void {
  const exists = (t: PodTemplate, name: string) => objects.some(o => o.kind === 'ConfigMap' && o.metadata?.name === name && ns(o) === ns(t.owner));
  for (const t of templates) {
    const sp = at(t.path, 'spec');
    (t.spec.volumes ?? []).forEach((v: any, i: number) => {
      const refs: [string, boolean, string][] = [];
      if (v.configMap) refs.push([v.configMap.name, v.configMap.optional === true, at(sp, `volumes[${i}].configMap.name`)]);
      (v.projected?.sources ?? []).forEach((s: any, j: number) => {
        if (s.configMap) refs.push([s.configMap.name, s.configMap.optional === true, at(sp, `volumes[${i}].projected.sources[${j}].configMap.name`)]);
      });
      for (const [name, optional, p] of refs) if (!optional && !exists(t, name)) r.add(11, ['KL'], t.owner, p, `ConfigMap ${name} is not in the output`);
    });
    for (const { c, path } of containersOf(t)) {
      (c.env ?? []).forEach((e: any, i: number) => {
        const ref = e.valueFrom?.configMapKeyRef;
        if (ref && ref.optional !== true && !exists(t, ref.name)) r.add(11, ['KL'], t.owner, at(path, `env[${i}].valueFrom.configMapKeyRef.name`), `ConfigMap ${ref.name} is not in the output`);
      });
      (c.envFrom ?? []).forEach((e: any, i: number) => {
        const ref = e.configMapRef;
        if (ref && ref.optional !== true && !exists(t, ref.name)) r.add(11, ['KL'], t.owner, at(path, `envFrom[${i}].configMapRef.name`), `ConfigMap ${ref.name} is not in the output`);
      });
    }
  }
}

// 12. Ingress: TLS, backend Service and port exist, pathType set
function checkIngresses(objects: K8sObject[], r: Reporter, requireTls: boolean): void {
  const origin: any = ['PO', 'KS'];
  for (const ing of objects.filter(o => o.kind === 'Ingress')) {
    if (requireTls && !(ing.spec?.tls ?? []).length) r.add(12, origin, ing, 'spec.tls', 'Ingress has no TLS');
    const hosts = new Set((ing.spec?.rules ?? []).map((x: any) => x.host).filter(Boolean));
    (ing.spec?.tls ?? []).forEach((tls: any, i: number) => {
      for (const h of tls.hosts ?? []) if (!hosts.has(h)) r.add(12, origin, ing, `spec.tls[${i}].hosts`, `TLS host ${h} has no rule`);
      if (!tls.secretName) r.add(12, origin, ing, `spec.tls[${i}].secretName`, 'TLS entry without secretName');
    });
    const backends: [any, string][] = [];
    if (ing.spec?.defaultBackend) backends.push([ing.spec.defaultBackend, 'spec.defaultBackend']);
    (ing.spec?.rules ?? []).forEach((rule: any, i: number) => {
      (rule.http?.paths ?? []).forEach((p: any, j: number) => {
        const pp = `spec.rules[${i}].http.paths[${j}]`;
        if (!['Prefix', 'Exact', 'ImplementationSpecific'].includes(p.pathType)) r.add(12, origin, ing, at(pp, 'pathType'), 'pathType must be set');
        backends.push([p.backend, at(pp, 'backend')]);
      });
    });
    for (const [b, p] of backends) {
      if (!b?.service) continue;
      const svc = objects.find(o => o.kind === 'Service' && o.metadata?.name === b.service.name && ns(o) === ns(ing));
      if (!svc) { r.add(12, origin, ing, at(p, 'service.name'), `backend Service ${b.service.name} is not in the output`); continue; }
      const port = b.service.port ?? {};
      const ok = (svc.spec?.ports ?? []).some((sp: any) => (port.name !== undefined ? sp.name === port.name : sp.port === port.number));
      if (!ok) r.add(12, origin, ing, at(p, 'service.port'), `Service ${b.service.name} has no port ${JSON.stringify(port)}`);
    }
  }
}

// 13. NetworkPolicy coverage and shape
function checkNetworkPolicies(objects: K8sObject[], templates: PodTemplate[], r: Reporter, requireCoverage: boolean): void {
  const origin: any = ['KS', 'PO'];
  const policies = objects.filter(o => o.kind === 'NetworkPolicy');
  for (const np of policies) {
    const spec = np.spec ?? {};
    const types: string[] = spec.policyTypes ?? [];
    if (!Array.isArray(spec.policyTypes) || types.length === 0) r.add(13, origin, np, 'spec.policyTypes', 'policyTypes must be explicit');
    if (!templates.some(t => ns(t.owner) === ns(np) && selects(spec.podSelector, t.labels))) r.add(13, origin, np, 'spec.podSelector', 'selects no pod of the output');
    for (const dir of ['ingress', 'egress'] as const) {
      (spec[dir] ?? []).forEach((rule: any, i: number) => {
        ((dir === 'ingress' ? rule.from : rule.to) ?? []).forEach((peer: any, j: number) => {
          const cidr = peer.ipBlock?.cidr;
          if ((cidr === '0.0.0.0/0' || cidr === '::/0') && !(peer.ipBlock.except ?? []).length) {
            r.add(13, origin, np, `spec.${dir}[${i}].${dir === 'ingress' ? 'from' : 'to'}[${j}].ipBlock`, `${cidr} without except`);
          }
        });
        if (dir === 'egress' && (!rule.to || rule.to.length === 0) && (!rule.ports || rule.ports.length === 0)) {
          r.add(13, origin, np, `spec.egress[${i}]`, 'an empty egress rule allows every destination');
        }
        if (dir === 'ingress' && (!rule.from || rule.from.length === 0) && (!rule.ports || rule.ports.length === 0)) {
          r.add(13, origin, np, `spec.ingress[${i}]`, 'an empty ingress rule allows every source');
        }
      });
    }
  }
  if (!requireCoverage) return;
  for (const t of templates) {
    const mine = policies.filter(np => ns(np) === ns(t.owner) && selects(np.spec?.podSelector, t.labels));
    const types = new Set(mine.flatMap(np => np.spec?.policyTypes ?? []));
    const p = at(t.path, 'metadata.labels');
    if (!types.has('Ingress')) r.add(13, origin, t.owner, p, 'no NetworkPolicy with policyType Ingress selects these pods');
    if (!types.has('Egress')) { r.add(13, origin, t.owner, p, 'no NetworkPolicy with policyType Egress selects these pods'); continue; }
    const dns = mine.some(np => (np.spec?.egress ?? []).some((rule: any) => {
      const ports = rule.ports ?? [];
      const udp = ports.some((x: any) => (x.protocol ?? 'TCP') === 'UDP' && (x.port === 53 || x.port === 'dns'));
      const tcp = ports.some((x: any) => (x.protocol ?? 'TCP') === 'TCP' && (x.port === 53 || x.port === 'dns-tcp'));
      const peer = (rule.to ?? []).some((x: any) => x.namespaceSelector && x.podSelector);
      return udp && tcp && peer;
    }));
    if (!dns) r.add(13, origin, t.owner, p, 'no egress to DNS (UDP and TCP 53 to kube-dns, namespaceSelector and podSelector in the same peer)');
  }
}

// 17. ServiceMonitor endpoints name an existing Service port and set a path
function checkServiceMonitors(objects: K8sObject[], _templates: PodTemplate[], r: Reporter): void {
  const origin: any = ['PO'];
  for (const sm of objects.filter(o => o.kind === 'ServiceMonitor')) {
    const spec = sm.spec ?? {};
    const nsSel = spec.namespaceSelector;
    const namespaces: string[] | undefined = nsSel?.any ? undefined : nsSel?.matchNames ?? [ns(sm)];
    const services = objects.filter(o => o.kind === 'Service' && (namespaces === undefined || namespaces.includes(ns(o))) && selects(spec.selector ?? {}, o.metadata?.labels ?? {}));
    if (services.length === 0) r.add(17, origin, sm, 'spec.selector', 'selects no Service of the output');
    const eps: any[] = spec.endpoints ?? [];
    if (eps.length === 0) r.add(17, origin, sm, 'spec.endpoints', 'no endpoints');
    eps.forEach((ep, i) => {
      const p = `spec.endpoints[${i}]`;
      if (typeof ep.port !== 'string' || !ep.port) r.add(17, origin, sm, at(p, 'port'), 'must name a Service port (targetPort is deprecated and numbers break on change)');
      else {
        for (const s of services) {
          if (!(s.spec?.ports ?? []).some((x: any) => x.name === ep.port)) r.add(17, origin, sm, at(p, 'port'), `Service ${s.metadata?.name} has no port named ${ep.port}`);
        }
      }
      if (typeof ep.path !== 'string' || !ep.path.startsWith('/')) r.add(17, origin, sm, at(p, 'path'), 'path must be set');
    });
  }
  for (const pm of objects.filter(o => o.kind === 'PodMonitor')) {
    (pm.spec?.podMetricsEndpoints ?? []).forEach((ep: any, i: number) => {
      if (typeof ep.path !== 'string') r.add(17, origin, pm, `spec.podMetricsEndpoints[${i}].path`, 'path must be set');
      if (typeof ep.port !== 'string') r.add(17, origin, pm, `spec.podMetricsEndpoints[${i}].port`, 'must name a container port');
    });
  }
}
