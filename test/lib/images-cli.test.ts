// The image commands over chapter 07's store: the default image as a real one-layer image,
// what `run` takes from an image's config (Docker's ENTRYPOINT/CMD/ENV/WORKDIR/USER rules),
// images/tag/rmi/history/inspect/system df, and garbage collection of blobs and layers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carton, isRoot, removeAllContainers } from '../helpers/index.js';
import { ImageStore } from '../../solutions/07-images/store.js';
import type { ImageConfig, Manifest } from '../../solutions/07-images/types.js';

const storeRoot = () => join(process.env.CARTON_ROOT!, 'images');
const quiet = ['--network', 'none'];

/** An image in the store made of the default image's layer and a config of our choosing. */
function imageWithConfig(name: string, config: ImageConfig['config']): string {
  const store = new ImageStore(storeRoot());
  const base = store.find('carton/busybox')!;
  const cfg: ImageConfig = { ...base.config, config, created: new Date().toISOString(), history: [...(base.config.history ?? []), { created_by: 'test: config only', empty_layer: true }] };
  const text = JSON.stringify(cfg);
  const manifest: Manifest = { ...base.manifest, config: { ...base.manifest.config, digest: store.putBlob(text), size: Buffer.byteLength(text) } };
  const digest = store.putBlob(JSON.stringify(manifest));
  return store.withLock(() => store.addImage(digest, [`docker.io/library/${name}:latest`])).id;
}

describe.skipIf(!isRoot)('image commands (needs root)', () => {
  beforeAll(async () => {
    expect((await carton(['run', '--rm', ...quiet, 'carton/busybox', 'true'])).status).toBe(0);
  });
  afterAll(async () => {
    await removeAllContainers();
  });

  it('carton/busybox is a one-layer image in the store, and containers run from that layer', async () => {
    const [image] = JSON.parse((await carton(['image', 'inspect', 'carton/busybox'])).stdout);
    expect(image.RepoTags).toEqual(['carton/busybox:latest']);
    expect(image.RootFS.Layers).toHaveLength(1);
    expect(image.Id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const layer = image.GraphDriver.Data.LowerDir;
    expect(layer).toBe(join(storeRoot(), 'layers', image.RootFS.Layers[0].slice(7)));
    expect(existsSync(join(layer, 'bin/busybox'))).toBe(true);
    const id = (await carton(['create', ...quiet, 'carton/busybox', 'true'])).stdout.trim();
    const record = JSON.parse((await carton(['inspect', id])).stdout)[0];
    expect(record.Image).toBe(image.Id);
    await carton(['rm', id]);
  });

  it('run follows the image config: CMD, ENTRYPOINT, ENV, WORKDIR, USER, and the flags that override them', async () => {
    imageWithConfig('cfg', { Entrypoint: ['/bin/sh', '-c'], Cmd: ['echo "$GREETING from $(pwd) as $(id -u)"'], Env: ['PATH=/bin:/sbin', 'GREETING=hello'], WorkingDir: '/tmp', User: 'nobody' });
    expect((await carton(['run', '--rm', ...quiet, 'cfg'])).stdout).toBe('hello from /tmp as 65534\n');
    // Arguments replace CMD (the entrypoint stays); -e, -w and -u override the image.
    expect((await carton(['run', '--rm', ...quiet, '-e', 'GREETING=hi', '-w', '/', '-u', '0', 'cfg', 'echo $GREETING $(pwd) $(id -u)'])).stdout).toBe('hi / 0\n');
    // --entrypoint replaces ENTRYPOINT and drops CMD.
    expect((await carton(['run', '--rm', ...quiet, '--entrypoint', 'pwd', 'cfg'])).stdout).toBe('/tmp\n');
    imageWithConfig('nocmd', { Env: ['PATH=/bin'] });
    const none = await carton(['run', '--rm', ...quiet, 'nocmd']);
    expect(none.status).toBe(125);
    expect(none.stderr).toContain('no command specified');
  });

  it('tag adds a name; rmi of one of several names only untags', async () => {
    expect((await carton(['tag', 'carton/busybox', 'localhost:5000/team/bb:v1'])).status).toBe(0);
    const listed = (await carton(['images'])).stdout;
    expect(listed).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/m);
    expect(listed).toMatch(/^localhost:5000\/team\/bb\s+v1\s+[0-9a-f]{12}\s/m);
    // REGISTRY:PORT/repo with no tag: the colon is the port's, every tag of the repository is listed.
    for (const filter of ['localhost:5000/team/bb', 'localhost:5000/team/bb:v1']) {
      expect((await carton(['images', filter])).stdout).toMatch(/^localhost:5000\/team\/bb\s+v1\s+[0-9a-f]{12}\s/m);
    }
    expect((await carton(['images', 'localhost:5000/team/bb:v2'])).stdout.split('\n').filter(Boolean)).toHaveLength(1); // the header only
    const rmi = await carton(['rmi', 'localhost:5000/team/bb:v1']);
    expect(rmi.stdout).toBe('Untagged: localhost:5000/team/bb:v1\n');
    expect((await carton(['images', '-q', 'carton/busybox'])).stdout.trim()).toMatch(/^[0-9a-f]{12}$/);
  });

  it('rmi refuses an image a container uses; -f removes it when the container is stopped; gc frees its blobs and, once no container needs it, its layer', async () => {
    // An image with a layer of its own: a container's change, committed.
    await carton(['run', '--name', 'layer-maker', ...quiet, 'carton/busybox', 'sh', '-c', 'echo mine > /only-here']);
    const id = (await carton(['commit', '-c', 'CMD ["sleep", "30"]', 'layer-maker', 'victim'])).stdout.trim();
    await carton(['rm', 'layer-maker']);
    await carton(['tag', 'victim', 'victim:two']);
    const store = new ImageStore(storeRoot());
    const victim = store.find('victim')!;
    const configBlob = store.blobPath(victim.manifest.config.digest);
    const ownLayer = victim.layerDirs.at(-1)!;
    expect(readFileSync(join(ownLayer, 'only-here'), 'utf8')).toBe('mine\n');
    await carton(['run', '-d', '--name', 'user1', ...quiet, 'victim']);
    const refused = await carton(['rmi', '-f', id]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('running container');
    await carton(['stop', '-t', '0', 'user1']);
    const stopped = await carton(['rmi', id]);
    expect(stopped.status).toBe(1);
    expect(stopped.stderr).toContain('stopped container');
    const forced = await carton(['rmi', '-f', id]);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toBe(`Untagged: victim:latest\nUntagged: victim:two\nDeleted: ${id}\n`);
    expect(existsSync(configBlob)).toBe(false);
    expect((await carton(['images', '-q', 'victim'])).stdout).toBe('');
    // The stopped container still stacks the layer: gc keeps it until the container goes.
    expect(existsSync(ownLayer)).toBe(true);
    expect((await carton(['start', 'user1'])).status).toBe(0); // its image is gone, its layers are not
    expect((await carton(['exec', 'user1', 'cat', '/only-here'])).stdout).toBe('mine\n');
    await carton(['rm', '-f', 'user1']);
    await carton(['image', 'prune', '-f']);
    expect(existsSync(ownLayer)).toBe(false);
    expect(existsSync(victim.layerDirs[0])).toBe(true); // carton/busybox's, still named
  });

  it('history lists the config history with the newest first; system df counts images, containers and volumes', async () => {
    imageWithConfig('hist', { Cmd: ['true'] });
    const history = (await carton(['history', 'hist'])).stdout.split('\n');
    expect(history[0]).toMatch(/^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    expect(history[1]).toMatch(/^[0-9a-f]{12}\s.*test: config only\s+0B/);
    expect(history[2]).toMatch(/^<missing>\s.*root filesystem from the host/);
    const df = (await carton(['system', 'df', '--format', 'json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(df.map((r: { Type: string }) => r.Type)).toEqual(['Images', 'Containers', 'Local Volumes', 'Build Cache']);
    expect(df[0].TotalCount).toBeGreaterThanOrEqual(3);
    expect(df[0].SizeBytes).toBeGreaterThan(1_000_000);
    await carton(['rmi', 'hist', 'cfg', 'nocmd']);
  });

  it('system prune removes dangling images and unused networks, and keeps named images', async () => {
    const first = imageWithConfig('dang', { Cmd: ['true'] });
    const second = imageWithConfig('dang', { Cmd: ['false'] }); // the name moves: the first dangles
    expect(first).not.toBe(second);
    expect((await carton(['network', 'create', 'prunable'])).status).toBe(0);
    const pruned = await carton(['system', 'prune', '-f']);
    expect(pruned.status).toBe(0);
    expect(pruned.stdout).toContain('Deleted Networks:\nprunable\n');
    expect(pruned.stdout).toContain(`Deleted: ${first}`);
    expect(pruned.stdout).not.toContain(second);
    expect((await carton(['network', 'ls'])).stdout).not.toContain('prunable');
    expect((await carton(['images', '-q', 'carton/busybox'])).stdout).not.toBe('');
    await carton(['rmi', 'dang']);
  });

  it('unknown images and bad references give one clear error', async () => {
    const missing = await carton(['run', '--rm', '--pull', 'never', 'nosuch/image']);
    expect(missing.status).toBe(125);
    expect(missing.stderr).toContain('no such image: nosuch/image');
    const bad = await carton(['run', '--rm', 'Bad:Name::']);
    expect(bad.status).toBe(125);
    expect(bad.stderr).toContain('parse reference');
    expect((await carton(['rmi', 'nosuch'])).stderr).toContain('no such image');
    // The test run is offline (CARTON_OFFLINE=1): no registry beyond this machine is asked.
    const far = await carton(['pull', 'registry.example.com/team/app:1']);
    expect(far.status).toBe(1); // a failed pull: 1, as Docker's
    expect(far.stderr).toContain('pull from registry.example.com: carton is offline');
    // Nor does --pull always of an image that is here but named for a registry elsewhere.
    expect((await carton(['tag', 'carton/busybox', 'registry.example.com/team/bb:1'])).status).toBe(0);
    const always = await carton(['run', '--rm', '--pull', 'always', '--network', 'none', 'registry.example.com/team/bb:1', 'true']);
    expect([always.status, always.stderr]).toEqual([125, expect.stringContaining('pull from registry.example.com: carton is offline')]);
    await carton(['rmi', 'registry.example.com/team/bb:1']);
  });
});
