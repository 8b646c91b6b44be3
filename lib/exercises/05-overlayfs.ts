// Chapter 05 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const overlayfs: Exercise[] = [
  {
    name: 'overlay-options',
    chapter: '05-overlayfs',
    file: '05-overlayfs/overlay.ts',
    functions: ['overlayOptions'],
    test: 'test/05-overlayfs/overlay-options.test.ts',
    hints: [
      'overlayfs takes its layers as one mount data string; the lower layers are \':\'-separated, top first, and the separators in a path must be escaped.',
      'the kernel\'s Documentation/filesystems/overlayfs.rst (lowerdir, upperdir, workdir; escaping \',\' \':\' and \'\\\\\').',
      'const esc = (p: string) => p.replace(/([\\\\:,])/g, "\\\\$1"); return `lowerdir=${lowers.map(esc).join(":")},upperdir=${esc(upper)},workdir=${esc(work)}`.',
    ],
  },
  {
    name: 'mount-overlay',
    chapter: '05-overlayfs',
    file: '05-overlayfs/overlay.ts',
    functions: ['mountOverlay'],
    test: 'test/05-overlayfs/mount-overlay.test.ts',
    hints: [
      'Make the three directories and mount; the catch is the mount data\'s size limit of one page, which many long lower paths can exceed.',
      'man 2 mount (data is at most a page), overlayfs.rst; shortLowers gives short relative names from a common directory: mount from there with process.chdir.',
      'mkdirSync each of upper, work, target ({ recursive: true }); data = overlayOptions(...); if data.length < PAGE - 1: sys.mount("overlay", target, "overlay", 0, data). Else const { dir, names } = shortLowers(lowers, upper); process.chdir(dir); mount with overlayOptions(names, resolve(upper), resolve(work)) on resolve(target); chdir back in a finally.',
    ],
  },
  {
    name: 'diff-upper',
    chapter: '05-overlayfs',
    file: '05-overlayfs/diff.ts',
    functions: ['diffUpper'],
    test: 'test/05-overlayfs/diff-upper.test.ts',
    hints: [
      'The upper directory holds exactly what the container changed: new and changed files, whiteouts for deletions, and opaque directories that hide a lower one.',
      'overlayfs.rst (whiteouts are 0/0 character devices; trusted.overlay.opaque), isWhiteout and isOpaque, lstat the same path in the lowers to tell A from C.',
      'A recursive walk(rel, hidden): for each name in readdirSync(join(upper, rel)), lstat it; isWhiteout → D; else existed = !hidden && lowers.some(l => lstatOrNull(join(l, child))); push C or A; for a directory recurse with hidden || isOpaque(path) || !existed. Sort by path at the end.',
    ],
  },
  {
    name: 'oci-whiteout-name',
    chapter: '05-overlayfs',
    file: '05-overlayfs/whiteout.ts',
    functions: ['ociWhiteoutName'],
    test: 'test/05-overlayfs/oci-whiteout-name.test.ts',
    hints: [
      'In an image layer, a deleted file is a marker file next to where it was, named with the OCI whiteout prefix.',
      'the OCI image spec\'s layer.md (Whiteouts: \'.wh.\' + name); node:path dirname, basename, join.',
      'dirname(path) is "." for a top-level name; otherwise join(dirname(path), ".wh." + basename(path)).',
    ],
  },
  {
    name: 'parse-volume-spec',
    chapter: '05-overlayfs',
    file: '05-overlayfs/volumes.ts',
    functions: ['parseVolumeSpec'],
    test: 'test/05-overlayfs/parse-volume-spec.test.ts',
    hints: [
      '-v is SOURCE:TARGET[:MODE]; the source is a host path (bind) or a volume name, the target an absolute path, the mode ro or rw.',
      'Docker\'s docs for -v; split on \':\', check each part, throw a CartonError that names the spec.',
      'spec.split(":") must give 2 or 3 parts; the target must start with "/"; mode is "rw" unless given and must be "ro" or "rw"; kind is "bind" when the source starts with "/" or ".", else "volume" (check the name against /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/).',
    ],
  },
];
