import type { LoadError, Target } from '../core/types.js';
import type { EcrInventory } from './ecr.js';
import type { EksInventory } from './eks.js';

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string; controller?: boolean }[];
  [key: string]: unknown;
}

/** A Kubernetes object of any kind, as plain JSON. Fields are not trusted: controls read defensively. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** `private-no-route`: the API endpoint is private and the scanner has no network path to its VPC. */
export type GapReason = 'forbidden' | 'unauthorized' | 'not-found' | 'timeout' | 'unreachable' | 'private-no-route' | 'throttled' | 'error';

/**
 * Something that could not be read. `source` is a Kubernetes kind (`ClusterRole`, `Deployment`, …)
 * or an AWS data key (`eks:cluster`, `eks:nodegroups`, `ecr:repositories`, …). A gap makes every
 * control that depends on the source UNKNOWN for it, never PASS.
 */
export interface Gap {
  source: string;
  namespace?: string;
  reason: GapReason;
  message: string;
}

/** One target's snapshot: every collector fills it, every control reads it. */
export interface Inventory {
  target: Target;
  collectedAt: string;
  /** How it was obtained: manifests on disk, a live API server, or a replayed snapshot. */
  origin: 'manifests' | 'live' | 'snapshot';
  resources: KubeObject[];
  eks?: EksInventory;
  ecr?: EcrInventory;
  /** Kinds whose CRD is not installed in the cluster (not a gap: the answer is "none"). */
  absentKinds?: string[];
  gaps: Gap[];
}

/** The on-disk snapshot format written by `hardline snapshot` and replayed by `hardline scan FILE`. */
export const SNAPSHOT_API_VERSION = 'hardline.dev/v1';
export const SNAPSHOT_KIND = 'Inventory';

export interface InventorySnapshot extends Inventory {
  apiVersion: typeof SNAPSHOT_API_VERSION;
  kind: typeof SNAPSHOT_KIND;
}

/**
 * One target to report: its inventory (with the files or documents of it that could not be loaded,
 * which make it incomplete), or why there is none (a dead API server, a denied AssumeRole).
 */
export type TargetInput =
  | { inventory: Inventory; loadErrors?: readonly LoadError[] }
  | { target: Target; failure: { status: 'UNKNOWN' | 'ERROR'; reason: string } };
