import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLdd } from '@impl/01-chroot/index.js';

const sample = `\tlinux-vdso.so.1 (0x00007ffc8a5f2000)
\tlibselinux.so.1 => /lib/x86_64-linux-gnu/libselinux.so.1 (0x00007f3b1c0a4000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f3b1bec3000)
\tlibpcre2-8.so.0 => /lib/x86_64-linux-gnu/libpcre2-8.so.0 (0x00007f3b1be29000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f3b1c104000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f3b1bec3000)
`;

describe('parseLdd', () => {
  it('lists libraries and the interpreter, in order, once each, and skips the vDSO', () => {
    expect(parseLdd(sample)).toEqual([
      '/lib/x86_64-linux-gnu/libselinux.so.1',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib/x86_64-linux-gnu/libpcre2-8.so.0',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('reads real ldd output: every file it names exists', () => {
    const files = parseLdd(execFileSync('ldd', ['/bin/ls'], { encoding: 'utf8' }));
    expect(files.length).toBeGreaterThan(1);
    expect(files.every((f) => existsSync(f))).toBe(true);
    expect(files.some((f) => /libc\.so/.test(f))).toBe(true);
  });
});
