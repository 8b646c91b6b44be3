// carton build from the command line, as a user runs it: a Dockerfile with most instructions
// and two stages becomes an image whose config and files are what the Dockerfile says (read
// back by running it and from its config); a second build is all cache, and the same image;
// a change rebuilds from the step that sees it; failures name the file and line, exit 1 and
// leave no container or mount; COPY never writes through an image's symlink onto the host.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { carton, eventually, isRoot, mountsUnder, removeAllContainers, removeDir, repo, tempDir } from '../helpers/index.js';
import { typed } from '../helpers/lesson.js';

const none = ['--network', 'none'];

describe.skipIf(!isRoot)('carton build (needs root)', () => {
  const dir = tempDir('carton-build-');
  const context = join(dir, 'context');
  const write = (path: string, text: string) => {
    mkdirSync(join(context, path, '..'), { recursive: true });
    writeFileSync(join(context, path), text);
  };
  const build = (args: string[]) => carton(['build', ...none, ...args, context]);
  const inspect = async (ref: string) => JSON.parse((await carton(['image', 'inspect', ref])).stdout)[0];
  afterAll(async () => {
    await removeAllContainers();
    await carton(['rmi', '-f', 'app:1', 'app:2', 'app:base', 'app:escape']);
    removeDir(dir);
  });

  it('builds what the Dockerfile says: files, modes, owners, config, stages, args, .dockerignore', async () => {
    write('src/app.sh', '#!/bin/sh\necho "app says $GREETING"\n');
    write('src/lib/data.txt', 'data\n');
    write('secret.env', 'TOKEN=hunter2\n');
    write('notes.md', 'notes\n');
    write('.dockerignore', '*.env\n*.md\n');
    write('Dockerfile', [
      'ARG BASE=carton/busybox',
      'FROM ${BASE} AS base',
      'ARG GREETING=hello',
      'ENV GREETING=$GREETING \\',
      '    HOME_DIR=/srv/app',
      'WORKDIR ${HOME_DIR}',
      'COPY src/ ./',
      'COPY --chmod=755 --chown=1000:1000 src/app.sh /usr/local/bin/app',
      'COPY . /context/',
      'RUN echo "built by $(id -u) in $(pwd)" > built.txt && test "$GREETING" = bonjour',
      'RUN <<EOF',
      'echo from a here-document > /srv/app/heredoc.txt',
      'EOF',
      'LABEL org.example.stage=base',
      'EXPOSE 8080/tcp',
      'USER 1000',
      'CMD ["app"]',
      '',
      'FROM carton/busybox',
      'COPY --from=base /srv/app/built.txt /built.txt',
      'ENTRYPOINT ["cat"]',
      '',
    ].join('\n'));
    const result = await build(['-t', 'app:1', '--target', 'base', '--build-arg', 'GREETING=bonjour']);
    expect(result.status, result.stderr).toBe(0);
    expect((await carton(['run', '--rm', ...none, 'app:1'])).stdout).toBe('app says bonjour\n');
    const look = await carton(['run', '--rm', ...none, 'app:1', 'sh', '-c', 'id -u; pwd; cat built.txt heredoc.txt lib/data.txt; stat -c "%a %u:%g" /usr/local/bin/app; ls -A /context']);
    expect(look.stdout).toBe('1000\n/srv/app\nbuilt by 0 in /srv/app\nfrom a here-document\ndata\n755 1000:1000\n.dockerignore\nDockerfile\nsrc\n');
    const image = await inspect('app:1');
    expect(image.Config).toMatchObject({ User: '1000', Cmd: ['app'], WorkingDir: '/srv/app', Labels: { 'org.example.stage': 'base' }, ExposedPorts: { '8080/tcp': {} } });
    expect(image.Config.Env).toEqual(expect.arrayContaining(['GREETING=bonjour', 'HOME_DIR=/srv/app']));
    expect(image.Config.Env.some((e: string) => e.startsWith('BASE='))).toBe(false); // ARGs do not stay in the image

    const second = await build(['-t', 'app:2', '--build-arg', 'GREETING=bonjour', '--label', 'built=by-carton']);
    expect(second.status, second.stderr).toBe(0);
    const final = await inspect('app:2');
    expect(final.Config).toMatchObject({ Entrypoint: ['cat'], Labels: { built: 'by-carton' } });
    expect(final.Config.Cmd ?? null).toBe(null); // ENTRYPOINT reset the CMD it inherited from carton/busybox
    expect((await carton(['run', '--rm', ...none, 'app:2', '/built.txt'])).stdout).toBe('built by 0 in /srv/app\n');
    expect(final.RootFS.Layers).toHaveLength(2); // busybox, and the one COPY
  });

  it('a second build is all cache and gives the same image; a changed file rebuilds from its COPY on', async () => {
    const again = await build(['-t', 'app:1', '--target', 'base', '--build-arg', 'GREETING=bonjour']);
    expect(again.status).toBe(0);
    const id = (await inspect('app:1')).Id;
    const cached = await build(['-q', '--target', 'base', '--build-arg', 'GREETING=bonjour']);
    expect(cached.status, cached.stderr).toBe(0);
    expect(cached.stdout.trim()).toBe(id);
    write('src/lib/data.txt', 'changed\n');
    const rebuilt = await build(['-t', 'app:1', '--target', 'base', '--build-arg', 'GREETING=bonjour']);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).not.toMatch(/^#\d+ CACHED$/m); // the first COPY sees the change
    expect((await inspect('app:1')).Id).not.toBe(id);
    expect((await carton(['run', '--rm', ...none, 'app:1', 'cat', 'lib/data.txt'])).stdout).toBe('changed\n');
    const noCache = await build(['-q', '--no-cache', '--target', 'base', '--build-arg', 'GREETING=bonjour']);
    expect(noCache.stdout.trim()).not.toBe((await inspect('app:1')).Id);
    const count = async (args: string[]) => (await carton(['images', '-q', ...args])).stdout.trim().split('\n').length;
    expect(await count(['-a'])).toBeGreaterThan(await count([])); // the build's intermediate images stay out of sight
  });

  it('a failing RUN, a missing source and a bad instruction: one error naming file and line, exit 1, nothing left', async () => {
    const cases: Array<[string, RegExp]> = [
      ['FROM carton/busybox\nRUN echo start\nRUN exit 3\n', /^carton: Dockerfile:3: RUN: `exit 3` returned a non-zero code: 3$/m],
      ['FROM carton/busybox\nCOPY nowhere.txt /\n', /^carton: Dockerfile:2: COPY: `nowhere.txt` not found in the build context$/m],
      ['FROM carton/busybox\nCOPY secret.env /\n', /Dockerfile:2: COPY: `secret.env` not found in the build context/], // .dockerignore'd
      ['FROM carton/busybox\nFETCH x\n', /^carton: Dockerfile:2: unknown instruction: FETCH$/m],
      ['FROM carton/busybox\nCOPY ../outside /\n', /Dockerfile:2: COPY: `\.\.\/outside` not found in the build context/],
      ['FROM carton/busybox\nRUN <<EOF\necho never ended\n', /^carton: Dockerfile:2: here-document <<EOF has no line "EOF" to end it$/m],
      ['FROM carton/busybox\nSHELL /bin/bash -c\n', /^carton: Dockerfile:2: SHELL: SHELL needs the JSON form/m],
      ['FROM no-such-stage-or-image\n', /^carton: Dockerfile:1: FROM: unable to find image `no-such-stage-or-image` locally/m],
      ['FROM carton/busybox\nCOPY --from=later /x /\nFROM carton/busybox AS later\nFROM 0\n', /^carton: Dockerfile:2: COPY: --from=later: that stage comes later, or is this one$/m],
      ['FROM carton/busybox\nCOPY --from=nostage /x /\n', /^carton: Dockerfile:2: COPY: unable to find image `nostage` locally/m], // not a stage: an image
    ];
    for (const [text, message] of cases) {
      write('Dockerfile', text);
      const result = await build([]);
      expect(result.status, text).toBe(1);
      expect(result.stderr, text).toMatch(message);
    }
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
    expect(mountsUnder(process.env.CARTON_RUN!)).toEqual([]);
    expect(readdirSync(process.env.CARTON_RUN!).filter((n) => n !== 'oci')).toEqual([]);
    expect((await carton(['build', context, '--target', 'nope'])).stderr).toMatch(/target stage `nope` could not be found/);
  });

  it('on a terminal, progress is redrawn in place; a failed step\'s output is printed after it; tty needs a terminal', async () => {
    write('Dockerfile', 'FROM carton/busybox\nRUN echo first-step-output\nRUN echo failing-step-output && exit 4\n');
    const line = (mode: string) => `lib/cli/carton build --network none --progress ${mode} ${context}`;
    const tty = await typed(line('tty'), '');
    const screen = tty.stdout.replaceAll('\r', '');
    expect(tty.status, screen).toBe(1);
    expect(screen).toMatch(/\x1b\[\d+A/); // redrawn, not appended
    expect(screen).toMatch(/\x1b\[2K => \[2\/3\] RUN echo first-step-output +\d+\.\ds\n/);
    expect(screen).toMatch(/\x1b\[2K => ERROR \[3\/3\] RUN echo failing-step-output && exit 4 +\d+\.\ds\n/);
    expect(screen).toMatch(/\x1b\[J------\n > \[3\/3\] RUN echo failing-step-output && exit 4:\nfailing-step-output\n------\n/m);
    expect(screen).toMatch(/carton: Dockerfile:3: RUN: `echo failing-step-output && exit 4` returned a non-zero code: 4/);
    expect(screen).not.toMatch(/^#\d/m);
    const plain = await typed(line('plain --no-cache'), '');
    expect(plain.stdout.replaceAll('\r', '')).toMatch(/^#3 0\.\d{3} first-step-output\n#3 DONE \d+\.\ds$/m);
    const piped = await carton(['build', ...none, '--progress', 'tty', context]);
    expect([piped.status, piped.stderr]).toEqual([125, expect.stringMatching(/--progress tty: standard error is not a terminal/)]);
    expect((await carton(['ps', '-aq'])).stdout).toBe('');
  });

  it('COPY follows an image\'s symlink inside the image, never onto the host; a context symlink out of it is refused', async () => {
    const marker = `carton-build-escape-${process.pid}`;
    write('payload', 'inside\n');
    write('Dockerfile', `FROM carton/busybox\nRUN ln -s / /escape && ln -s /tmp /tmplink\nCOPY payload /escape/tmp/${marker}\nCOPY payload /tmplink/${marker}-2\n`);
    const result = await build(['-t', 'app:escape']);
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(`/tmp/${marker}`)).toBe(false);
    expect(existsSync(`/tmp/${marker}-2`)).toBe(false);
    expect((await carton(['run', '--rm', ...none, 'app:escape', 'cat', `/tmp/${marker}`, `/tmp/${marker}-2`])).stdout).toBe('inside\ninside\n');
    symlinkSync('/etc', join(context, 'hostetc'));
    write('Dockerfile', 'FROM carton/busybox\nCOPY hostetc/hostname /\n');
    const refused = await build([]);
    expect([refused.status, refused.stderr]).toEqual([1, expect.stringMatching(/forbidden path outside the build context/)]);
    expect(readFileSync('/etc/hostname', 'utf8')).toBeTruthy();
  });
});

describe.skipIf(!isRoot)('carton build, everyday Dockerfiles (needs root)', () => {
  const dir = tempDir('carton-build2-');
  const write = (path: string, text: string | Buffer) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const build = (file: string, tag: string) => carton(['build', ...none, '-f', join(dir, file), '-t', tag, dir]);
  afterAll(async () => {
    await removeAllContainers();
    await carton(['rmi', '-f', 'site:1', 'static:1', 'onbase:1', 'onchild:1', 'tool:1']);
    removeDir(dir);
  });

  it('a static site served by httpd, its files ADDed from a tar.gz, reached on a published port', async () => {
    mkdirSync(join(dir, 'site'), { recursive: true });
    writeFileSync(join(dir, 'site', 'index.html'), '<h1>built by carton</h1>\n');
    expect(spawnSync('tar', ['-czf', join(dir, 'site.tar.gz'), '-C', join(dir, 'site'), '.']).status).toBe(0);
    write('Dockerfile.site', 'FROM carton/busybox\nADD site.tar.gz /www/\nEXPOSE 80\nCMD ["httpd", "-f", "-p", "80", "-h", "/www"]\n');
    expect((await build('Dockerfile.site', 'site:1')).status).toBe(0);
    expect((await carton(['run', '--rm', ...none, 'site:1', 'ls', '/www'])).stdout).toBe('index.html\n'); // unpacked, not copied as a file
    expect((await carton(['run', '-d', '--name', 'site', '-P', 'site:1'])).status).toBe(0);
    const port = /:(\d+)$/.exec((await carton(['port', 'site', '80'])).stdout.trim())![1];
    const page = await eventually(async () => {
      const r = spawnSync('/bin/busybox', ['wget', '-qO-', `http://127.0.0.1:${port}/`], { encoding: 'utf8' });
      return { status: r.status, signal: null, stdout: r.stdout, stderr: r.stderr };
    });
    expect(page.stdout).toBe('<h1>built by carton</h1>\n');
    await carton(['rm', '-f', 'site']);
  });

  it('FROM scratch with a static binary; a multi-stage build that "compiles" in one stage and keeps only the result', async () => {
    write('busybox', readFileSync('/bin/busybox'));
    chmodSync(join(dir, 'busybox'), 0o755); // COPY keeps the mode: without x, the image could not run it
    write('Dockerfile.static', 'FROM scratch\nCOPY busybox /busybox\nENTRYPOINT ["/busybox"]\nCMD ["echo", "static hello"]\n');
    expect((await build('Dockerfile.static', 'static:1')).status).toBe(0);
    expect((await carton(['run', '--rm', ...none, 'static:1'])).stdout).toBe('static hello\n');
    expect((await inspectImage('static:1')).RootFS.Layers).toHaveLength(1);
    write('tool.sh', 'echo "tool version $VERSION"\n');
    write('Dockerfile.multi', [
      'FROM carton/busybox AS build',
      'ARG VERSION=1.0',
      'COPY tool.sh /src/',
      'RUN mkdir /out && { echo "#!/bin/sh"; sed "s/\\$VERSION/$VERSION/" /src/tool.sh; } > /out/tool && chmod +x /out/tool',
      'FROM carton/busybox',
      'COPY --from=build /out/tool /usr/local/bin/tool',
      'ENTRYPOINT ["tool"]',
      '',
    ].join('\n'));
    expect((await build('Dockerfile.multi', 'tool:1')).status).toBe(0);
    expect((await carton(['run', '--rm', ...none, 'tool:1'])).stdout).toBe('tool version 1.0\n');
    expect((await carton(['run', '--rm', ...none, '--entrypoint', 'ls', 'tool:1', '/src'])).status).not.toBe(0); // the build stage's files stayed behind
  });

  it('ADD of a URL downloads it (mode 0600, the server\'s time); offline, a host beyond this machine is refused', async () => {
    const server = createServer((req, res) => {
      if (req.url !== '/files/notes.txt') return res.writeHead(404).end();
      res.writeHead(200, { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT', 'Content-Type': 'text/plain' }).end('downloaded\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      write('Dockerfile.url', `FROM carton/busybox\nADD http://127.0.0.1:${port}/files/notes.txt /downloads/\nCMD ["sh", "-c", "cat /downloads/notes.txt; stat -c '%a %Y' /downloads/notes.txt"]\n`);
      const built = await build('Dockerfile.url', 'tool:1');
      expect(built.status, built.stderr).toBe(0);
      expect((await carton(['run', '--rm', ...none, 'tool:1'])).stdout).toBe(`downloaded\n600 ${Date.parse('2015-10-21T07:28:00Z') / 1000}\n`);
      write('Dockerfile.missing', `FROM carton/busybox\nADD http://127.0.0.1:${port}/nope /x\n`);
      const missing = await build('Dockerfile.missing', 'tool:1');
      expect([missing.status, missing.stderr]).toEqual([1, expect.stringMatching(/Dockerfile\.missing:2: ADD: ADD `http:.*\/nope`: the server answered 404/)]);
    } finally {
      server.close();
    }
    write('Dockerfile.far', 'FROM carton/busybox\nADD https://example.com/file /x\n');
    const far = await build('Dockerfile.far', 'tool:1');
    expect([far.status, far.stderr]).toEqual([1, expect.stringMatching(/carton is offline/)]);
  });

  it('a context on stdin: a Dockerfile alone, or a tar of the whole context', async () => {
    const alone = await carton(['build', ...none, '-q', '-t', 'tool:1', '-'], { input: 'FROM carton/busybox\nRUN echo from stdin > /f\nCMD ["cat", "/f"]\n' });
    expect(alone.status, alone.stderr).toBe(0);
    expect((await carton(['run', '--rm', ...none, 'tool:1'])).stdout).toBe('from stdin\n');
    write('ctx/Dockerfile', 'FROM carton/busybox\nCOPY hello.txt /\nCMD ["cat", "/hello.txt"]\n');
    write('ctx/hello.txt', 'from a tar context\n');
    const tar = spawnSync('tar', ['-c', '-C', join(dir, 'ctx'), '.']);
    const fromTar = spawnSync(process.execPath, [join(repo, 'lib/cli/carton.js'), 'build', ...none, '-q', '-t', 'tool:1', '-'], { input: tar.stdout, env: process.env, encoding: 'utf8' });
    expect(fromTar.status, fromTar.stderr).toBe(0);
    expect((await carton(['run', '--rm', ...none, 'tool:1'])).stdout).toBe('from a tar context\n');
    expect(readdirSync(process.env.CARTON_RUN!).filter((n) => n.startsWith('build-context-'))).toEqual([]);
  });

  it('ONBUILD triggers run when the image is a base, and are not passed on; builder prune empties the cache', async () => {
    write('app/main.txt', 'main\n');
    write('Dockerfile.onbase', 'FROM carton/busybox\nONBUILD COPY app/ /app/\nONBUILD RUN echo triggered > /app/trigger\n');
    write('Dockerfile.onchild', 'FROM onbase:1\nCMD ["cat", "/app/main.txt", "/app/trigger"]\n');
    expect((await build('Dockerfile.onbase', 'onbase:1')).status).toBe(0);
    expect((await inspectImage('onbase:1')).Config.OnBuild).toHaveLength(2);
    expect((await build('Dockerfile.onchild', 'onchild:1')).status).toBe(0);
    expect((await carton(['run', '--rm', ...none, 'onchild:1'])).stdout).toBe('main\ntriggered\n');
    expect((await inspectImage('onchild:1')).Config.OnBuild ?? null).toBe(null);
    const df = async () => JSON.parse((await carton(['system', 'df', '--format', 'json'])).stdout.trim().split('\n').pop()!);
    expect((await df()).TotalCount).toBeGreaterThan(0);
    expect((await carton(['builder', 'prune', '-f'])).status).toBe(0);
    expect((await df())).toMatchObject({ Type: 'Build Cache', TotalCount: 0 });
    expect((await carton(['run', '--rm', ...none, 'onchild:1'])).stdout).toBe('main\ntriggered\n'); // named images stay
  });
});

const inspectImage = async (ref: string) => JSON.parse((await carton(['image', 'inspect', ref])).stdout)[0];
