// Chapter 05 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const overlayfs: Exercise[] = [
  {
    name: 'overlay-options',
    chapter: '05-overlayfs',
    file: '05-overlayfs/overlay.ts',
    functions: ['overlayOptions'],
    test: 'test/05-overlayfs/overlay-options.test.ts',
    hint: 'const esc = (p: string) => p.replace(/([\\\\:,])/g, "\\\\$1"); return `lowerdir=${lowers.map(esc).join(":")},upperdir=${esc(upper)},workdir=${esc(work)}`.',
  },
  {
    name: 'mount-overlay',
    chapter: '05-overlayfs',
    file: '05-overlayfs/overlay.ts',
    functions: ['mountOverlay'],
    test: 'test/05-overlayfs/mount-overlay.test.ts',
    hint: 'mkdirSync each of upper, work, target ({ recursive: true }); data = overlayOptions(...); if data.length < PAGE - 1: sys.mount("overlay", target, "overlay", 0, data). Else const { dir, names } = shortLowers(lowers, upper); process.chdir(dir); mount with overlayOptions(names, resolve(upper), resolve(work)) on resolve(target); chdir back in a finally.',
  },
  {
    name: 'diff-upper',
    chapter: '05-overlayfs',
    file: '05-overlayfs/diff.ts',
    functions: ['diffUpper'],
    test: 'test/05-overlayfs/diff-upper.test.ts',
    hint: 'A recursive walk(rel, hidden): for each name in readdirSync(join(upper, rel)), lstat it; isWhiteout → D; else existed = !hidden && lowers.some(l => lstatOrNull(join(l, child))); push C or A; for a directory recurse with hidden || isOpaque(path) || !existed. Sort by path at the end.',
  },
  {
    name: 'oci-whiteout-name',
    chapter: '05-overlayfs',
    file: '05-overlayfs/whiteout.ts',
    functions: ['ociWhiteoutName'],
    test: 'test/05-overlayfs/oci-whiteout-name.test.ts',
    hint: 'dirname(path) is "." for a top-level name; otherwise join(dirname(path), ".wh." + basename(path)).',
  },
  {
    name: 'parse-volume-spec',
    chapter: '05-overlayfs',
    file: '05-overlayfs/volumes.ts',
    functions: ['parseVolumeSpec'],
    test: 'test/05-overlayfs/parse-volume-spec.test.ts',
    hint: 'spec.split(":") must give 2 or 3 parts; the target must start with "/"; mode is "rw" unless given and must be "ro" or "rw"; kind is "bind" when the source starts with "/" or ".", else "volume" (check the name against /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/).',
  },
];
