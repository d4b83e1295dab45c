/** A container image reference, split the way the container runtime resolves it. */
export interface ImageRef {
  /** Registry host (docker.io when the reference names none). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** registry/repository[:tag][@digest] with Docker Hub's implicit parts filled in. */
  normalized: string;
}

const parsed = new Map<string, ImageRef>();

/** Parses (memoised: a cluster runs the same few hundred images in thousands of containers). */
export function parseImage(image: string): ImageRef {
  let ref = parsed.get(image);
  if (!ref) {
    if (parsed.size > 50_000) parsed.clear();
    ref = Object.freeze(parseImageUncached(image));
    parsed.set(image, ref);
  }
  return ref;
}

function parseImageUncached(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const firstSlash = rest.indexOf('/');
  const first = firstSlash >= 0 ? rest.slice(0, firstSlash) : '';
  // The first component is a registry only if it looks like a host (has a dot or port, or is localhost).
  let registry = 'docker.io';
  let repository = rest;
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    repository = rest.slice(firstSlash + 1);
  } else if (!rest.includes('/')) {
    repository = `library/${rest}`;
  }
  const ref: ImageRef = { registry, repository, normalized: '' };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  ref.normalized = `${registry}/${repository}${tag !== undefined ? ':' + tag : ''}${digest !== undefined ? '@' + digest : ''}`;
  return ref;
}

export function isDigestPinned(ref: ImageRef): boolean {
  return ref.digest !== undefined && /^sha256:[a-f0-9]{64}$/.test(ref.digest);
}
