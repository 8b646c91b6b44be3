// Chapter 01 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const chroot: Exercise[] = [
  {
    name: 'enter-root',
    chapter: '01-chroot',
    file: '01-chroot/chroot.ts',
    functions: ['enterRoot'],
    test: 'test/01-chroot/enter-root.test.ts',
    hint: 'sys.chroot(rootfs) changes "/" but not the working directory: follow it with sys.chdir("/").',
  },
  {
    name: 'look-path',
    chapter: '01-chroot',
    file: '01-chroot/exec.ts',
    functions: ['lookPath'],
    test: 'test/01-chroot/look-path.test.ts',
    hint: 'Split PATH on ":"; for each dir try `${dir}/${name}`: statSync(...).isFile() and accessSync(..., constants.X_OK). Remember a non-executable hit for the 126 error; throw 127 when nothing matched.',
  },
  {
    name: 'exec-program',
    chapter: '01-chroot',
    file: '01-chroot/exec.ts',
    functions: ['execProgram'],
    test: 'test/01-chroot/exec-program.test.ts',
    hint: 'Take PATH from env (the entry starting with "PATH="), call lookPath(argv[0], path), then sys.makeInheritable(0), (1), (2), and finally sys.execve(file, argv, env).',
  },
  {
    name: 'escape-chroot',
    chapter: '01-chroot',
    file: '01-chroot/escape.ts',
    functions: ['escapeChroot'],
    test: 'test/01-chroot/escape-chroot.test.ts',
    hint: 'mkdirSync(scratch); const fd = openSync(".", "r"); sys.chroot(scratch); sys.fchdir(fd); then sys.chdir("..") many times (at the real / it stays at /), then sys.chroot(".").',
  },
  {
    name: 'parse-ldd',
    chapter: '01-chroot',
    file: '01-chroot/rootfs.ts',
    functions: ['parseLdd'],
    test: 'test/01-chroot/parse-ldd.test.ts',
    hint: 'For each line: /=>\\s*(\\/\\S+)/ catches "libc.so.6 => /lib/.../libc.so.6 (0x..)"; /^\\s*(\\/\\S+)/ catches the interpreter line. Skip lines that match neither, and skip duplicates.',
  },
];
