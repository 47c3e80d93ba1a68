import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { invalid } from '../common/errors';
import { checkDnsLabel } from '../common/validate';

/** Volume types Pod Security *restricted* admits (the namespace enforces it). */
const RESTRICTED_VOLUME_TYPES = ['configMap', 'secret', 'emptyDir', 'projected', 'downwardAPI', 'persistentVolumeClaim', 'csi', 'ephemeral'];

/**
 * Validates a pod's volumes and one container's mounts as the API server and Pod Security *restricted*
 * would: allowed volume types, DNS-1123 names, mounts that name a volume, no mount path used twice.
 */
export function checkPodVolumes(scope: IConstruct, volumes: k8s.Volume[], mounts: k8s.VolumeMount[]): void {
  for (const v of volumes) {
    checkDnsLabel(scope, 'volumes', v.name);
    const types = Object.keys(v).filter(k => k !== 'name' && (v as any)[k] !== undefined);
    for (const t of types) {
      if (!RESTRICTED_VOLUME_TYPES.includes(t)) invalid(scope, `volumes[${v.name}]`, t, `Pod Security restricted admits only ${RESTRICTED_VOLUME_TYPES.join(', ')} volumes`);
    }
    if (types.length !== 1) invalid(scope, `volumes[${v.name}]`, types, 'must set exactly one volume source');
  }
  const names = new Set(volumes.map(v => v.name));
  const paths = new Set<string>();
  for (const m of mounts) {
    if (!names.has(m.name)) invalid(scope, 'volumeMounts', m.name, `must name a volume of the pod (${[...names].join(', ')})`);
    if (typeof m.mountPath !== 'string' || !m.mountPath.startsWith('/')) invalid(scope, 'volumeMounts', m.mountPath, 'mountPath must be an absolute path');
    if (paths.has(m.mountPath)) invalid(scope, 'volumeMounts', m.mountPath, 'each mountPath may be used once');
    paths.add(m.mountPath);
  }
}
