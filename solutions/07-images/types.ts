// Chapter 07 — the shapes of an image, as the OCI image spec and Docker's v2 schema 2 write
// them (JSON field names kept as the specs spell them), and of carton's image store.
// The store lives under $CARTON_ROOT/images and is an OCI image layout:
//
//   images/oci-layout                 {"imageLayoutVersion": "1.0.0"}
//   images/index.json                 one descriptor per named image; the name is the
//                                     annotation org.opencontainers.image.ref.name
//   images/blobs/sha256/<hex>         manifests, configs and (compressed) layers, by digest
//   images/layers/<diffid-hex>/       each layer unpacked once (overlay whiteouts), shared
//   images/tmp/                       downloads and unpacks in progress (renamed when whole)

/** "sha256:<64 hex>" */
export type Digest = string;

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

/** An image manifest (OCI or Docker v2 schema 2: the same shape). */
export interface Manifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** An image index or Docker manifest list: one manifest per platform. */
export interface Index {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** The image configuration (OCI image-spec config.md). */
export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Volumes?: Record<string, object>;
    WorkingDir?: string;
    Labels?: Record<string, string>;
    StopSignal?: string;
    /** Dockerfile instructions run when the image is used as a base (ONBUILD). */
    OnBuild?: string[] | null;
    /** HEALTHCHECK: Test is ["NONE"], ["CMD", …] or ["CMD-SHELL", "…"]; durations in ns. */
    Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
    /** SHELL (Docker's own field): the shell form's interpreter. */
    Shell?: string[];
  };
  rootfs: { type: 'layers'; diff_ids: Digest[] };
  history?: Array<{ created?: string; created_by?: string; author?: string; comment?: string; empty_layer?: boolean }>;
}

/** A parsed image reference: docker.io/library/alpine:3.20, localhost:5000/app@sha256:… */
export interface Reference {
  /** Registry host[:port]; "docker.io" for Docker Hub. */
  registry: string;
  /** Repository path, e.g. "library/alpine". */
  repository: string;
  tag?: string;
  digest?: Digest;
}

/** One image in the store, as `carton images`, `inspect` and `run` need it. */
export interface ImageInfo {
  /** The image ID: the digest of its config, as Docker's. */
  id: Digest;
  /** The digest of its manifest (the one for this platform, not the index). */
  manifestDigest: Digest;
  /** Every name that points at it: "docker.io/library/alpine:3.20", … */
  names: string[];
  /** Repo digests, "docker.io/library/alpine@sha256:…" (from pulls). */
  repoDigests: string[];
  config: ImageConfig;
  manifest: Manifest;
  /** Unpacked layer directories, lowest first (the order of rootfs.diff_ids). */
  layerDirs: string[];
  /** Sum of the unpacked layers' sizes in bytes. */
  size: number;
}

/** Progress of one blob during a pull, load or push; `total` is 0 when unknown. */
export interface Progress {
  digest: Digest;
  /**
   * 'exists' (already in the store; in a push: already in the registry), 'downloading',
   * 'verifying', 'extracting', 'done'; a push's 'pushing' and 'pushed'.
   */
  phase: 'exists' | 'downloading' | 'verifying' | 'extracting' | 'done' | 'pushing' | 'pushed';
  current: number;
  total: number;
}
