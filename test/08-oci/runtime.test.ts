// carton oci on the real kernel, beside runc: a bundle made by `runc spec` (busybox rootfs)
// gives the same output and exit status under both; create/state/start/kill/delete behave
// as runc's, checked on kernel state (namespace inodes, the cgroup, the init's program);
// pause freezes the cgroup; exec joins the container; hooks see the state; a terminal's
// master arrives on the console socket; a broken bundle is one clear error and leaves nothing.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, isRoot, removeDir, repo, tempDir, type Result } from '../helpers/index.js';
import { makeRootfs } from '../../solutions/01-chroot/rootfs.js';

const cli = join(repo, 'lib/cli/carton.js');

describe.skipIf(!isRoot)('carton oci, the OCI runtime (needs root)', () => {
  const dir = tempDir('carton-oci-');
  chmodSync(dir, 0o711); // a user namespace's root (an id of a range on the host) must reach its bundle's rootfs, under runc too
  const root = join(dir, 'state');
  const runcRoot = join(dir, 'runc-state');
  const oci = (args: string[], input = ''): Promise<Result> => collect(spawn(process.execPath, [cli, 'oci', '--root', root, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }), input);
  const runc = (args: string[]): Promise<Result> => collect(spawn('runc', ['--root', runcRoot, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }), '');
  const state = async (id: string) => JSON.parse((await oci(['state', id])).stdout);
  /**
   * create (and run -d): the init inherits create's stdio and keeps it, as runc's does, so
   * its output goes to a file (as a shim's would to a FIFO) and create is done at its exit.
   */
  const create = async (args: string[]): Promise<Result> => {
    const file = join(dir, `create-${args.at(-1)}.out`);
    const out = openSync(file, 'w');
    const child = spawn(process.execPath, [cli, 'oci', '--root', root, 'create', ...args], { stdio: ['ignore', out, out] });
    closeSync(out);
    const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    return { status, signal, stdout: '', stderr: readFileSync(file, 'utf8') };
  };

  /** A bundle: busybox rootfs, `runc spec`'s config with terminal off, edited by `edit`. */
  function bundle(name: string, edit: (spec: any) => void = () => {}): string {
    const path = join(dir, name);
    makeRootfs(join(path, 'rootfs'));
    execFileSync('runc', ['spec'], { cwd: path });
    const spec = JSON.parse(readFileSync(join(path, 'config.json'), 'utf8'));
    spec.process.terminal = false;
    edit(spec);
    writeFileSync(join(path, 'config.json'), JSON.stringify(spec, null, 2));
    return path;
  }
  const args = (...argv: string[]) => (spec: any) => (spec.process.args = argv);
  const cgroupDirs = (id: string) => readdirSync('/sys/fs/cgroup').flatMap((h) => (existsSync(`/sys/fs/cgroup/${h}/carton-oci/${id}`) ? [h] : []));
  const program = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\x00').filter(Boolean).join(' ');
  const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
    return condition();
  };

  afterAll(async () => {
    for (const id of existsSync(root) ? readdirSync(root) : []) await oci(['delete', '--force', id]);
    removeDir(dir);
  });

  it('runs a runc spec bundle with the same output and exit status as runc', async () => {
    const script = 'hostname; id; ls /dev /sys/fs/cgroup; grep -E "^(Cap|NoNewPrivs|Seccomp)" /proc/self/status; grep "open files" /proc/self/limits; ls /proc/1/ns; cut -d" " -f5,9 /proc/self/mountinfo; exit 7';
    const path = bundle('same', args('sh', '-c', script));
    const theirs = await runc(['run', '--bundle', path, 'same-runc']);
    const ours = await oci(['run', '--bundle', path, 'same-carton']);
    expect(theirs.status).toBe(7);
    expect([ours.status, ours.stdout, ours.stderr]).toEqual([theirs.status, theirs.stdout, theirs.stderr]);
    expect(existsSync(join(root, 'same-carton'))).toBe(false); // run deletes what it created
    expect(cgroupDirs('same-carton')).toEqual([]);
  });

  it('a user namespace of the spec\'s, with its uid and gid mappings: the same output and status as runc; on the host, the mapped ids', async () => {
    const userns = (spec: any) => {
      spec.linux.namespaces.push({ type: 'user' });
      spec.linux.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
      spec.linux.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    };
    const script = 'id; cat /proc/self/uid_map /proc/self/gid_map; ls -ln / | grep -c " 65534 "; ls /dev; head -c 3 /dev/zero | od -An -tx1; touch /x 2>&1; exit 5';
    const path = bundle('userns', (spec) => { userns(spec); args('sh', '-c', script)(spec); });
    const theirs = await runc(['run', '--bundle', path, 'userns-runc']);
    const ours = await oci(['run', '--bundle', path, 'userns-carton']);
    expect(theirs.status).toBe(5);
    expect(theirs.stdout).toMatch(/^uid=0\(root\) gid=0\(root\)/);
    expect([ours.status, ours.stdout, ours.stderr]).toEqual([theirs.status, theirs.stdout, theirs.stderr]);
    // Seen from the host: a user namespace of its own, and the init running as the mapped ids.
    const sleeper = bundle('userns-life', (spec) => { userns(spec); args('sleep', '300')(spec); });
    expect((await create(['--bundle', sleeper, 'userns-life'])).status).toBe(0);
    const { pid } = await state('userns-life');
    expect((await oci(['start', 'userns-life'])).status).toBe(0); // the init, root of its namespace, opened the fifo it was given
    expect(await until(() => program(pid) === 'sleep 300')).toBe(true);
    expect(readlinkSync(`/proc/${pid}/ns/user`)).not.toBe(readlinkSync('/proc/self/ns/user'));
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\s+200000\s+200000\s+200000\s+200000$/m);
    // exec joins the same user namespace (nsenter --user: Node cannot), as its root.
    const exec = await oci(['exec', 'userns-life', 'sh', '-c', 'id -u; cat /proc/self/uid_map']);
    expect([exec.status, exec.stdout.trim().split(/\s+/)]).toEqual([0, ['0', '0', '200000', '65536']]);
    expect((await oci(['delete', '--force', 'userns-life'])).status).toBe(0);
    expect(await until(() => !alive(pid))).toBe(true);
    expect(existsSync(join(root, 'userns-life'))).toBe(false);
    expect(cgroupDirs('userns-life')).toEqual([]);
  });

  it('create waits (created, its pid in new namespaces and its cgroup); start runs it; kill and delete end it', async () => {
    const path = bundle('life', args('sleep', '300'));
    const pidFile = join(dir, 'life.pid');
    expect((await create(['--bundle', path, '--pid-file', pidFile, 'life'])).status).toBe(0);
    const created = await state('life');
    expect(created).toMatchObject({ id: 'life', status: 'created', bundle: path, pid: Number(readFileSync(pidFile, 'utf8')) });
    const pid = created.pid as number;
    for (const ns of ['pid', 'net', 'mnt', 'uts', 'ipc']) expect(readlinkSync(`/proc/${pid}/ns/${ns}`)).not.toBe(readlinkSync(`/proc/self/ns/${ns}`));
    expect(readlinkSync(`/proc/${pid}/ns/cgroup`)).toBe(readlinkSync('/proc/self/ns/cgroup')); // runc spec asks for none
    expect(readFileSync(`/sys/fs/cgroup/pids/carton-oci/life/cgroup.procs`, 'utf8').trim()).toBe(String(pid));
    expect(program(pid)).not.toContain('sleep'); // still carton's init, waiting
    const list = (await oci(['list'])).stdout;
    expect(list).toMatch(/^ID\s+PID\s+STATUS\s+BUNDLE\s+CREATED\s+OWNER$/m);
    expect(list).toMatch(new RegExp(`^life\\s+${pid}\\s+created\\s`, 'm'));

    expect((await oci(['start', 'life'])).status).toBe(0);
    expect(await until(() => program(pid) === 'sleep 300')).toBe(true);
    expect((await state('life')).status).toBe('running');
    const again = await oci(['start', 'life']);
    expect([again.status, again.stderr]).toEqual([1, expect.stringMatching(/cannot start container `life`: it is running/)]);
    const refused = await oci(['delete', 'life']);
    expect([refused.status, refused.stderr]).toEqual([1, expect.stringMatching(/not stopped: it is running/)]);

    expect((await oci(['kill', 'life', 'KILL'])).status).toBe(0);
    expect(await until(() => !alive(pid))).toBe(true);
    expect(await state('life')).toEqual({ ociVersion: '1.0.2', id: 'life', status: 'stopped', bundle: path, rootfs: join(path, 'rootfs'), created: expect.any(String), owner: '' });
    expect((await oci(['kill', 'life'])).stderr).toMatch(/not running/);
    expect((await oci(['delete', 'life'])).status).toBe(0);
    expect(existsSync(join(root, 'life'))).toBe(false);
    expect(cgroupDirs('life')).toEqual([]);
    expect(readdirSync('/sys/fs/cgroup/pids')).not.toContain('carton-oci'); // the parent create made goes too
    const gone = await oci(['state', 'life']);
    expect([gone.status, gone.stderr]).toEqual([1, expect.stringMatching(/container `life` does not exist/)]);
    expect((await oci(['delete', '--force', 'life'])).status).toBe(0); // as runc: --force of nothing is fine
  });

  it('pause freezes the container\'s cgroup and resume thaws it; ps lists its processes; delete --force ends a running one', async () => {
    const path = bundle('frozen', args('sh', '-c', 'sleep 300 & exec sleep 301'));
    expect((await create(['--bundle', path, 'frozen'])).status).toBe(0);
    expect((await oci(['start', 'frozen'])).status).toBe(0);
    const { pid } = await state('frozen');
    expect(await until(() => program(pid) === 'sleep 301')).toBe(true);
    const pids = JSON.parse((await oci(['ps', '--format', 'json', 'frozen'])).stdout) as number[];
    expect(pids).toContain(pid);
    expect(pids).toHaveLength(2);
    for (const p of pids) expect(readlinkSync(`/proc/${p}/ns/pid`)).toBe(readlinkSync(`/proc/${pid}/ns/pid`));
    expect((await oci(['pause', 'frozen'])).status).toBe(0);
    expect(readFileSync('/sys/fs/cgroup/freezer/carton-oci/frozen/freezer.state', 'utf8').trim()).toBe('FROZEN');
    expect((await state('frozen')).status).toBe('paused');
    expect((await oci(['resume', 'frozen'])).status).toBe(0);
    expect(readFileSync('/sys/fs/cgroup/freezer/carton-oci/frozen/freezer.state', 'utf8').trim()).toBe('THAWED');
    // update: runc's flags, and linux.resources as JSON on stdin (as containerd sends it).
    expect((await oci(['update', '--memory', '100000000', 'frozen'])).status).toBe(0);
    expect(readFileSync('/sys/fs/cgroup/memory/carton-oci/frozen/memory.limit_in_bytes', 'utf8').trim()).toBe(String(Math.floor(100000000 / 4096) * 4096));
    expect((await oci(['update', '--resources', '-', 'frozen'], JSON.stringify({ pids: { limit: 64 } }))).status).toBe(0);
    expect(readFileSync('/sys/fs/cgroup/pids/carton-oci/frozen/pids.max', 'utf8').trim()).toBe('64');
    expect((await oci(['delete', '--force', 'frozen'])).status).toBe(0);
    for (const p of pids) expect(alive(p)).toBe(false);
    expect(cgroupDirs('frozen')).toEqual([]);
  });

  it('exec runs a process in the container: its namespaces, its capabilities, its exit status', async () => {
    const path = bundle('execd', args('sleep', '300'));
    expect((await create(['--bundle', path, 'execd'])).status).toBe(0);
    expect((await oci(['start', 'execd'])).status).toBe(0);
    const { pid } = await state('execd');
    const inside = await oci(['exec', 'execd', 'sh', '-c', 'readlink /proc/self/ns/mnt; readlink /proc/self/ns/net; grep CapEff /proc/self/status; exit 5']);
    expect(inside.status).toBe(5);
    const [mnt, net, capEff] = inside.stdout.trim().split('\n');
    expect([mnt, net]).toEqual([readlinkSync(`/proc/${pid}/ns/mnt`), readlinkSync(`/proc/${pid}/ns/net`)]);
    expect(capEff).toBe(readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('CapEff')));
    const processFile = join(dir, 'process.json');
    writeFileSync(processFile, JSON.stringify({ args: ['sh', '-c', 'echo from-process-json $X'], env: ['X=1', 'PATH=/bin'], cwd: '/', user: { uid: 0, gid: 0 } }));
    expect((await oci(['exec', '--process', processFile, 'execd'])).stdout).toBe('from-process-json 1\n');
    expect((await oci(['delete', '--force', 'execd'])).status).toBe(0);
  });

  it('hooks run at their points with the state on stdin; a failing createRuntime hook fails create and leaves nothing', async () => {
    const record = (name: string) => ({ path: '/bin/sh', args: ['sh', '-c', `cat > ${join(dir, `hook-${name}.json`)}`] });
    const path = bundle('hooked', (spec) => {
      spec.process.args = ['sleep', '300'];
      spec.hooks = { createRuntime: [record('createRuntime')], prestart: [record('prestart')], poststart: [record('poststart')], poststop: [record('poststop')] };
      // Inside the container: createContainer before pivot_root (a host path still resolves;
      // it records its mount namespace), startContainer after start (its path is the container's).
      spec.hooks.createContainer = [{ path: '/bin/sh', args: ['sh', '-c', `readlink /proc/self/ns/mnt > ${join(dir, 'hook-createContainer.ns')}; cat > ${join(dir, 'hook-createContainer.json')}`] }];
      spec.hooks.startContainer = [{ path: '/bin/sh', args: ['sh', '-c', 'cat > /dev/shm/started.json'] }];
      spec.process!.args = ['sh', '-c', 'cat /dev/shm/started.json; sleep 60']; // the root is read-only: /dev/shm is a tmpfs
    });
    expect((await create(['--bundle', path, 'hooked'])).status).toBe(0);
    const { pid } = await state('hooked');
    const hook = (name: string) => JSON.parse(readFileSync(join(dir, `hook-${name}.json`), 'utf8'));
    expect(hook('createRuntime')).toMatchObject({ id: 'hooked', pid, bundle: path });
    expect(hook('prestart')).toMatchObject({ id: 'hooked', pid });
    expect(hook('createContainer')).toMatchObject({ id: 'hooked', pid, bundle: path });
    const mnt = readFileSync(join(dir, 'hook-createContainer.ns'), 'utf8').trim();
    expect([mnt === readlinkSync(`/proc/${pid}/ns/mnt`), mnt === readlinkSync('/proc/self/ns/mnt')]).toEqual([true, false]);
    expect(existsSync(join(dir, 'hook-poststart.json'))).toBe(false);
    expect((await oci(['start', 'hooked'])).status).toBe(0);
    expect(hook('poststart')).toMatchObject({ id: 'hooked', status: 'running', pid });
    // The program printed what startContainer wrote inside, before it ran: the init's output file.
    const out = join(dir, 'create-hooked.out');
    for (const deadline = Date.now() + 5000; !readFileSync(out, 'utf8').includes('"id":"hooked"') && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    expect(JSON.parse(readFileSync(out, 'utf8').trim())).toMatchObject({ id: 'hooked', status: 'running', pid });
    expect((await oci(['delete', '--force', 'hooked'])).status).toBe(0);
    expect(hook('poststop')).toMatchObject({ id: 'hooked', status: 'stopped' });

    const failing = bundle('failing-hook', (spec) => (spec.hooks = { createRuntime: [{ path: '/bin/false' }] }));
    const result = await create(['--bundle', failing, 'failing-hook']);
    expect([result.status, result.stderr]).toEqual([1, expect.stringMatching(/createRuntime hook `\/bin\/false`: exit status 1/)]);
    expect(existsSync(join(root, 'failing-hook'))).toBe(false);
    expect(cgroupDirs('failing-hook')).toEqual([]);
    const inside = bundle('failing-inside', (spec) => (spec.hooks = { createContainer: [{ path: '/bin/false' }] }));
    const refused = await create(['--bundle', inside, 'failing-inside']);
    expect([refused.status, refused.stderr]).toEqual([1, expect.stringMatching(/createContainer hook `\/bin\/false`: exit status 1/)]);
    expect(existsSync(join(root, 'failing-inside'))).toBe(false);
    expect(cgroupDirs('failing-inside')).toEqual([]);
  });

  it('process.terminal: the init sends the master of a pty of the container\'s own devpts to the console socket', async () => {
    const path = bundle('tty', (spec) => {
      spec.process.terminal = true;
      spec.process.args = ['sh'];
    });
    const socket = join(dir, 'console.sock');
    // The receiving end of SCM_RIGHTS, as containerd's shim is: Node cannot receive an fd, python3 can.
    const receiver = spawn('python3', ['-c', `
import array, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(sys.argv[1]); s.listen(1)
print('listening', flush=True)
c, _ = s.accept()
name, anc, _, _ = c.recvmsg(64, socket.CMSG_LEN(4))
fd = array.array('i', anc[0][2][:4])[0]
os.write(fd, b'tty; echo $((6*7)); exit 3\\n')
out = b''
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk: break
    out += chunk
print(name.decode(), out.decode().replace('\\r', ''), flush=True)
`, socket], { stdio: ['ignore', 'pipe', 'pipe'] });
    const received = collect(receiver);
    try {
      await new Promise((r) => receiver.stdout!.once('data', r));
      expect((await create(['--bundle', path, '--console-socket', socket, 'tty'])).status).toBe(0);
      const { pid } = await state('tty');
      expect((await oci(['start', 'tty'])).status).toBe(0);
      const { stdout } = await received;
      expect(stdout).toMatch(/^\/dev\/pts\/0 /m); // the name the init sent with the fd
      expect(stdout).toMatch(/^\/dev\/pts\/0$/m); // what `tty` printed inside: the same terminal
      expect(stdout).toMatch(/^42$/m);
      expect(await until(() => !alive(pid))).toBe(true);
    } finally {
      // A create that failed (a learner's stub) never connects: the receiver would wait in accept for good.
      if (receiver.exitCode === null && receiver.signalCode === null) receiver.kill('SIGKILL');
    }
    expect((await oci(['delete', 'tty'])).status).toBe(0);
    const noSocket = await create(['--bundle', path, 'tty2']);
    expect([noSocket.status, noSocket.stderr]).toEqual([1, expect.stringMatching(/--console-socket is required/)]);
  });

  it('a broken bundle is one clear error naming the field; nothing is created', async () => {
    const cases: Array<[string, (spec: any) => void, RegExp]> = [
      ['bad-ns', (spec) => spec.linux.namespaces.push({ type: 'galaxy' }), /linux\.namespaces\[5\]\.type: unknown namespace type "galaxy"/],
      ['bad-cwd', (spec) => (spec.process.cwd = 'tmp'), /process\.cwd: must be an absolute path/],
      ['user-ns', (spec) => spec.linux.namespaces.push({ type: 'user' }), /linux\.uidMappings: a new user namespace needs its uid mappings/],
      ['maps-no-ns', (spec) => (spec.linux.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }]), /linux\.uidMappings: mappings are given, but linux\.namespaces has no user namespace/],
      ['bad-map', (spec) => { spec.linux.namespaces.push({ type: 'user' }); spec.linux.uidMappings = [{ containerID: 0, hostID: -1, size: 1 }]; }, /linux\.uidMappings\[0\]\.hostID: expected a whole number/],
      ['no-rootfs', (spec) => (spec.root.path = 'nowhere'), /root\.path: `.*nowhere` is not a directory/],
      ['bad-program', (spec) => (spec.process.args = ['/no/such/program']), /no\/such\/program/],
    ];
    for (const [name, edit, message] of cases) {
      const path = bundle(name, edit);
      const result = name === 'bad-program' ? await oci(['run', '--bundle', path, name]) : await create(['--bundle', path, name]);
      expect(result.status, name).not.toBe(0);
      expect(result.stderr, name).toMatch(message);
      expect(existsSync(join(root, name)), name).toBe(false);
      expect(cgroupDirs(name), name).toEqual([]);
    }
    const malformed = bundle('malformed');
    writeFileSync(join(malformed, 'config.json'), '{"ociVersion": "1.0.2", "root": ');
    const result = await create(['--bundle', malformed, 'malformed']);
    expect([result.status, result.stderr]).toEqual([1, expect.stringMatching(/config\.json: not valid JSON/)]);
    expect(existsSync(join(root, 'malformed'))).toBe(false);
    const log = join(dir, 'log.json');
    await collect(spawn(process.execPath, [cli, 'oci', '--root', root, '--log', log, '--log-format', 'json', 'create', '--bundle', malformed, 'malformed'], { stdio: 'pipe' }));
    expect(JSON.parse(readFileSync(log, 'utf8').trim().split('\n').pop()!)).toMatchObject({ level: 'error', msg: expect.stringMatching(/not valid JSON/) });
  });

  it('spec writes a config.json that create accepts, and refuses to overwrite one', async () => {
    const path = join(dir, 'fresh');
    makeRootfs(join(path, 'rootfs'));
    const spec = await collect(spawn(process.execPath, [cli, 'oci', 'spec'], { cwd: path, stdio: 'pipe' }));
    expect(spec.status).toBe(0);
    expect(JSON.parse(readFileSync(join(path, 'config.json'), 'utf8'))).toMatchObject({ process: { terminal: true, args: ['sh'] }, root: { path: 'rootfs', readonly: true } });
    expect((await collect(spawn(process.execPath, [cli, 'oci', 'spec', '--bundle', path], { stdio: 'pipe' }))).stderr).toMatch(/exists already/);
  });
});
