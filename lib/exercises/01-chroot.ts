// Chapter 01 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const chroot: Exercise[] = [
  {
    name: 'enter-root',
    chapter: '01-chroot',
    file: '01-chroot/chroot.ts',
    functions: ['enterRoot'],
    test: 'test/01-chroot/enter-root.test.ts',
    hints: [
      'A process has two directories the kernel keeps for it: its root and its working directory. chroot changes only one of them.',
      'man 2 chroot (NOTES: it does not change the working directory), man 2 chdir; sys.chroot and sys.chdir.',
      'sys.chroot(rootfs) changes "/" but not the working directory: follow it with sys.chdir("/").',
    ],
  },
  {
    name: 'look-path',
    chapter: '01-chroot',
    file: '01-chroot/exec.ts',
    functions: ['lookPath'],
    test: 'test/01-chroot/look-path.test.ts',
    hints: [
      'Do what the shell does with a bare command name: try each directory of PATH in order, and tell \'not found\' (127) from \'found but not executable\' (126).',
      'PATH is a \':\'-separated list; node:fs statSync(...).isFile() and accessSync(path, constants.X_OK); man 3 execvp (the search), man 1 sh (exit statuses 126 and 127).',
      'Split PATH on ":"; for each dir try `${dir}/${name}`: statSync(...).isFile() and accessSync(..., constants.X_OK). Remember a non-executable hit for the 126 error; throw 127 when nothing matched.',
    ],
  },
  {
    name: 'exec-program',
    chapter: '01-chroot',
    file: '01-chroot/exec.ts',
    functions: ['execProgram'],
    test: 'test/01-chroot/exec-program.test.ts',
    hints: [
      'execve replaces this process with the program: find the file first (your lookPath, with the container\'s PATH), and make sure the program gets stdin, stdout and stderr.',
      'man 2 execve; Node opens its fds close-on-exec, so sys.makeInheritable on 0, 1 and 2 before sys.execve(file, argv, env).',
      'Take PATH from env (the entry starting with "PATH="), call lookPath(argv[0], path), then sys.makeInheritable(0), (1), (2), and finally sys.execve(file, argv, env).',
    ],
  },
  {
    name: 'escape-chroot',
    chapter: '01-chroot',
    file: '01-chroot/escape.ts',
    functions: ['escapeChroot'],
    test: 'test/01-chroot/escape-chroot.test.ts',
    hints: [
      'A chroot does not move a directory you already hold. Keep a handle on a directory outside a new, smaller chroot, go back to it, and climb.',
      'man 2 chroot (it does not change the cwd, and \'..\' at the root stays there), openSync(\'.\'), sys.fchdir, sys.chdir(\'..\'), then sys.chroot(\'.\').',
      'mkdirSync(scratch); const fd = openSync(".", "r"); sys.chroot(scratch); sys.fchdir(fd); then sys.chdir("..") many times (at the real / it stays at /), then sys.chroot(".").',
    ],
  },
  {
    name: 'parse-ldd',
    chapter: '01-chroot',
    file: '01-chroot/rootfs.ts',
    functions: ['parseLdd'],
    test: 'test/01-chroot/parse-ldd.test.ts',
    hints: [
      'ldd prints one line per library, and the libraries that live in files are the ones with an absolute path somewhere on the line.',
      'man 1 ldd; look at real output (ldd /bin/sh): \'name => /path (addr)\', the interpreter \'/lib64/ld-linux… (addr)\', and linux-vdso without a path. A regular expression per shape.',
      'For each line: /=>\\s*(\\/\\S+)/ catches "libc.so.6 => /lib/.../libc.so.6 (0x..)"; /^\\s*(\\/\\S+)/ catches the interpreter line. Skip lines that match neither, and skip duplicates.',
    ],
  },
];
