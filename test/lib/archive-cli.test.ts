// commit, save, load, export and import from the command line: a container's changes become
// an image that runs; images survive a trip through a tarball; a container's filesystem
// becomes an image of one layer. Nothing is left mounted on the host.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, isRoot, mountsUnder, removeAllContainers, removeDir, repo, tempDir } from '../helpers/index.js';

const none = ['--network', 'none'];

describe.skipIf(!isRoot)('commit, save/load, export/import (needs root)', () => {
  const dir = tempDir('carton-archive-cli-');
  afterAll(async () => {
    await removeAllContainers();
    await carton(['rmi', '-f', 'snap:1', 'flat:1']);
    removeDir(dir);
  });

  it('commit turns a container\'s changes (added, changed, deleted files) and --change into a runnable image', async () => {
    const made = await carton(['run', '--name', 'maker', ...none, 'carton/busybox', 'sh', '-c', 'mkdir /data && echo kept > /data/x && rm /bin/ls && echo changed >> /etc/motd']);
    expect(made.status).toBe(0);
    const commit = await carton(['commit', '-m', 'from maker', '-c', 'CMD ["cat", "/data/x"]', '-c', 'ENV STAGE=committed', '-c', 'EXPOSE 80', 'maker', 'snap:1']);
    expect(commit.status).toBe(0);
    const id = commit.stdout.trim();
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await carton(['run', '--rm', ...none, 'snap:1'])).stdout).toBe('kept\n');
    expect((await carton(['run', '--rm', ...none, 'snap:1', 'sh', '-c', 'echo $STAGE; test -e /bin/ls || echo no-ls; cat /etc/motd'])).stdout).toBe('committed\nno-ls\nchanged\n');
    const [image] = JSON.parse((await carton(['image', 'inspect', 'snap:1'])).stdout);
    expect(image.RootFS.Layers).toHaveLength(2);
    expect(image.Config.ExposedPorts).toEqual({ '80/tcp': {} });
    expect((await carton(['history', 'snap:1'])).stdout.split('\n')[1]).toContain('from maker');
  });

  it('-P publishes the port an image exposes', async () => {
    const web = await carton(['run', '-d', '--name', 'exposer', '-P', 'snap:1', 'httpd', '-f', '-p', '80']);
    expect(web.status).toBe(0);
    const port = (await carton(['port', 'exposer'])).stdout;
    expect(port).toMatch(/^80\/tcp -> 0\.0\.0\.0:\d+$/m);
    await carton(['rm', '-f', 'exposer']);
  });

  it('save writes an archive that load brings back with the same ID, layers and name', async () => {
    const file = join(dir, 'snap.tar');
    expect((await carton(['save', '-o', file, 'snap:1'])).status).toBe(0);
    const before = JSON.parse((await carton(['image', 'inspect', 'snap:1'])).stdout)[0];
    await carton(['rm', 'maker']);
    expect((await carton(['rmi', 'snap:1'])).stdout).toContain('Deleted: ');
    const load = await carton(['load', '-i', file]);
    expect(load.stdout).toBe('Loaded image: snap:1\n');
    const after = JSON.parse((await carton(['image', 'inspect', 'snap:1'])).stdout)[0];
    expect(after.Id).toBe(before.Id);
    expect(after.RootFS).toEqual(before.RootFS);
    const bad = await carton(['load', '-i', join(dir, 'missing.tar')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('missing.tar');
  });

  it('export writes a container\'s whole filesystem; import makes it a one-layer image; no mount is left', async () => {
    const id = (await carton(['create', '--name', 'exported', ...none, 'snap:1'])).stdout.trim();
    const file = join(dir, 'fs.tar');
    expect((await carton(['export', '-o', file, 'exported'])).status).toBe(0);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(id.slice(0, 12));
    expect(readdirSync(process.env.CARTON_RUN!).filter((n) => n.startsWith('view-'))).toEqual([]);
    expect(existsSync(`${file}.carton-tmp`)).toBe(false);
    const imported = await carton(['import', '-c', 'CMD ["cat", "/data/x"]', file, 'flat:1']);
    expect(imported.status).toBe(0);
    const [image] = JSON.parse((await carton(['image', 'inspect', 'flat:1'])).stdout);
    expect(image.RootFS.Layers).toHaveLength(1);
    expect((await carton(['run', '--rm', ...none, 'flat:1'])).stdout).toBe('kept\n');
    expect((await carton(['run', '--rm', ...none, 'flat:1', 'sh', '-c', 'test -e /bin/ls || echo no-ls'])).stdout).toBe('no-ls\n');
    await carton(['rm', 'exported']);
  });

  it('load and commit of a layer the store already has succeed and leave no temporary file', async () => {
    const file = join(dir, 'busybox.tar');
    expect((await carton(['save', '-o', file, 'carton/busybox'])).status).toBe(0);
    const load = await carton(['load', '-i', file]); // every layer is in the store already
    expect(load).toMatchObject({ status: 0, stdout: 'Loaded image: carton/busybox:latest\n' });
    expect((await carton(['run', '--name', 'same', ...none, 'carton/busybox', 'true'])).status).toBe(0);
    const first = await carton(['commit', 'same', 'again:1']);
    const second = await carton(['commit', 'same', 'again:2']); // the same layer a second time
    expect([first.status, second.status]).toEqual([0, 0]);
    expect(second.stderr).toBe('');
    const tmp = join(process.env.CARTON_ROOT!, 'images', 'tmp');
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
    await carton(['rm', 'same']);
    await carton(['rmi', 'again:1', 'again:2']);
  });

  it('commit of a container never started makes an image with one empty layer, as Docker', async () => {
    expect((await carton(['create', '--name', 'unstarted', ...none, 'carton/busybox', 'true'])).status).toBe(0);
    const commit = await carton(['commit', 'unstarted', 'unstarted:1']);
    expect(commit.status).toBe(0);
    const [image] = JSON.parse((await carton(['image', 'inspect', 'unstarted:1'])).stdout);
    expect(image.RootFS.Layers).toHaveLength(2);
    expect((await carton(['run', '--rm', ...none, 'unstarted:1', 'echo', 'runs'])).stdout).toBe('runs\n');
    await carton(['rm', 'unstarted']);
    await carton(['rmi', 'unstarted:1']);
  });

  it('export into a pipe closed early (| head) or killed half-way leaves no mount: the first cleans up, rm and prune undo the second', async () => {
    const views = () => readdirSync(process.env.CARTON_RUN!).filter((n) => n.startsWith('view-'));
    const exportStarted = async () => {
      const child = spawn(process.execPath, [join(repo, 'lib/cli/carton.js'), 'export', 'piped'], { stdio: ['ignore', 'pipe', 'pipe'] });
      await once(child.stdout, 'readable'); // the view is mounted and tar data flows; nothing reads on, so export blocks
      return child;
    };
    const id = (await carton(['create', '--name', 'piped', ...none, 'carton/busybox'])).stdout.trim();
    const early = await exportStarted();
    early.stdout.destroy(); // as head does when it has read enough: the next write is EPIPE
    await once(early, 'close');
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
    expect(views()).toEqual([]);
    for (const remove of [['rm', 'piped'], ['system', 'prune', '-f']]) {
      if (remove[0] === 'system') await carton(['create', '--name', 'piped', ...none, 'carton/busybox']);
      const killed = await exportStarted();
      killed.kill('SIGKILL');
      await once(killed, 'close');
      expect(mountsUnder(process.env.CARTON_RUN!)).toHaveLength(1); // nothing ran to undo it
      expect((await carton(remove)).status).toBe(0);
      expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
      expect(views()).toEqual([]);
    }
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(id.slice(0, 12));
  });

  it('commit of a --rootfs container or a missing one is one clear error', async () => {
    expect((await carton(['commit', 'nosuch'])).stderr).toContain('nosuch');
    expect((await carton(['commit', 'nosuch'])).status).toBe(1); // no such container: 1, as Docker's
  });
});
