import { IConstruct } from 'constructs';
import { invalid } from './errors';

// registry/repo[:tag][@sha256:digest], lower-case repository path as the OCI distribution spec requires.
const IMAGE_REF = /^(?:[a-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/;

/** How the kubelet pulls images. */
export enum ImagePullPolicy {
  /** Pull only when the image is not on the node (right for pinned tags and digests). */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Always ask the registry. */
  ALWAYS = 'Always',
  /** Never pull. */
  NEVER = 'Never',
}

/**
 * Validates an image reference: it must be pinned to a tag other than `latest`, or to a digest.
 * @returns the reference, unchanged
 */
export function checkImage(scope: IConstruct, prop: string, image: string): string {
  const m = typeof image === 'string' ? IMAGE_REF.exec(image) : null;
  const pinned = m && ((m[1] && m[1] !== 'latest') || image.includes('@sha256:'));
  if (!m || !pinned) {
    invalid(scope, prop, image, "must be an image reference pinned to a tag other than 'latest' or to a digest, e.g. 'ghcr.io/mlflow/mlflow:v3.17.0-full' or 'repo/image@sha256:<64 hex>'");
  }
  return image;
}
