// Chapter 05 — overlayfs: the public surface the runtime and the tests use.
export { overlayOptions, mountOverlay, unmountOverlay, shortLowers, PAGE, type OverlayOptions } from './overlay.js';
export { diffUpper, type Change } from './diff.js';
export { ociWhiteoutName, isWhiteout, makeWhiteout, isOpaque, makeOpaque, OPAQUE_XATTR, OPAQUE_MARKER, WHITEOUT_PREFIX } from './whiteout.js';
export { upperToLayer } from '../../solutions/05-overlayfs/layer-write.js';
export { applyLayer, memberParts } from '../../solutions/05-overlayfs/layer-apply.js';
export { readTar, openTar } from '../../solutions/05-overlayfs/tar-reader.js';
export { encodeHeader, type TarEntry } from '../../solutions/05-overlayfs/tar-header.js';
export { Volumes, parseVolumeSpec, parseTmpfsSpec, type VolumeInfo, type VolumeSpec } from './volumes.js';
