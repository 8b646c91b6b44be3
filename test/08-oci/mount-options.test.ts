// Exercise parse-mount-options: config.json's mount options as mount(2) flags, propagation
// changes and the filesystem's data string.
import { describe, expect, it } from 'vitest';
import { parseMountOptions } from '@impl/08-oci/index.js';
import * as sys from '../../lib/sys/index.js';

describe('parseMountOptions', () => {
  it('nothing: no flags, no propagation, no data', () => {
    expect(parseMountOptions()).toEqual({ flags: 0, propagation: [], data: '' });
    expect(parseMountOptions(['defaults'])).toEqual({ flags: 0, propagation: [], data: '' });
  });
  it('runc spec\'s /dev and /sys: flags apart, the rest is data in its order', () => {
    expect(parseMountOptions(['nosuid', 'strictatime', 'mode=755', 'size=65536k'])).toEqual({ flags: sys.MS_NOSUID | sys.MS_STRICTATIME, propagation: [], data: 'mode=755,size=65536k' });
    expect(parseMountOptions(['nosuid', 'noexec', 'nodev', 'ro'])).toEqual({ flags: sys.MS_NOSUID | sys.MS_NOEXEC | sys.MS_NODEV | sys.MS_RDONLY, propagation: [], data: '' });
    expect(parseMountOptions(['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']).data).toBe('newinstance,ptmxmode=0666,mode=0620,gid=5');
  });
  it('an opposite clears what came before it: the last word wins', () => {
    expect(parseMountOptions(['ro', 'rw']).flags).toBe(0);
    expect(parseMountOptions(['rw', 'ro']).flags).toBe(sys.MS_RDONLY);
    expect(parseMountOptions(['nosuid', 'suid', 'nodev', 'dev', 'noexec', 'exec']).flags).toBe(0);
    expect(parseMountOptions(['noatime', 'relatime', 'norelatime']).flags).toBe(sys.MS_NOATIME);
  });
  it('bind and rbind', () => {
    expect(parseMountOptions(['bind']).flags).toBe(sys.MS_BIND);
    expect(parseMountOptions(['rbind', 'ro']).flags).toBe(sys.MS_BIND | sys.MS_REC | sys.MS_RDONLY);
  });
  it('propagation words are changes of their own, in order, r* with MS_REC', () => {
    expect(parseMountOptions(['rbind', 'rprivate']).propagation).toEqual([sys.MS_PRIVATE | sys.MS_REC]);
    expect(parseMountOptions(['shared', 'rslave', 'unbindable', 'runbindable', 'private', 'rshared', 'slave']).propagation).toEqual([
      sys.MS_SHARED, sys.MS_SLAVE | sys.MS_REC, sys.MS_UNBINDABLE, sys.MS_UNBINDABLE | sys.MS_REC, sys.MS_PRIVATE, sys.MS_SHARED | sys.MS_REC, sys.MS_SLAVE,
    ]);
    expect(parseMountOptions(['rprivate']).flags).toBe(0);
  });
});
