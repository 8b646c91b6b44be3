// Reading config.json: a valid one (runc's own default) passes with unknown fields kept; each
// kind of mistake is one error that names the field.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSpec, parseSpec } from '@impl/08-oci/index.js';
import { removeDir, tempDir } from '../helpers/index.js';

const valid = () => JSON.parse(JSON.stringify(defaultSpec({ terminal: false }))) as Record<string, any>;
const errorOf = (doc: unknown) => {
  try {
    parseSpec(typeof doc === 'string' ? doc : JSON.stringify(doc));
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('parseSpec', () => {
  const dir = tempDir('carton-spec-');
  afterAll(() => removeDir(dir));

  it('reads the config.json runc spec writes, and carton oci spec\'s own', () => {
    execFileSync('runc', ['spec'], { cwd: dir });
    const runc = parseSpec(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(runc.process?.args).toEqual(['sh']);
    expect(runc.linux?.namespaces?.map((n) => n.type).sort()).toEqual(['ipc', 'mount', 'network', 'pid', 'uts']);
    expect(parseSpec(JSON.stringify(defaultSpec())).root).toEqual({ path: 'rootfs', readonly: true });
  });
  it('ignores fields it does not know, and keeps them', () => {
    const doc = { ...valid(), vm: { hypervisor: {} }, process: { ...valid().process, futureField: 1 } };
    expect((parseSpec(JSON.stringify(doc)) as any).vm).toEqual({ hypervisor: {} });
  });
  it('names the field of each mistake', () => {
    expect(errorOf('{"ociVersion": ')).toMatch(/^config\.json: not valid JSON/);
    expect(errorOf([])).toMatch(/top level: expected an object/);
    expect(errorOf({ ...valid(), ociVersion: 2 })).toMatch(/ociVersion:/);
    expect(errorOf({ ...valid(), root: undefined })).toMatch(/root: missing/);
    expect(errorOf({ ...valid(), root: { path: '' } })).toMatch(/root\.path:/);
    expect(errorOf({ ...valid(), process: { ...valid().process, args: [] } })).toMatch(/process\.args:/);
    expect(errorOf({ ...valid(), process: { ...valid().process, cwd: 'tmp' } })).toMatch(/process\.cwd: must be an absolute path, not "tmp"/);
    expect(errorOf({ ...valid(), process: { ...valid().process, env: ['NOVALUE'] } })).toMatch(/process\.env\[0\]: expected KEY=VALUE/);
    expect(errorOf({ ...valid(), process: { ...valid().process, capabilities: { bounding: ['CAP_FLY'] } } })).toMatch(/process\.capabilities\.bounding: unknown capability "CAP_FLY"/);
    expect(errorOf({ ...valid(), process: { ...valid().process, rlimits: [{ type: 'RLIMIT_FUN', soft: 1, hard: 1 }] } })).toMatch(/process\.rlimits\[0\]\.type/);
    expect(errorOf({ ...valid(), mounts: [{ destination: 'proc', type: 'proc' }] })).toMatch(/mounts\[0\]\.destination/);
    expect(errorOf({ ...valid(), linux: { namespaces: [{ type: 'pid' }, { type: 'galaxy' }] } })).toMatch(/linux\.namespaces\[1\]\.type: unknown namespace type "galaxy"/);
    expect(errorOf({ ...valid(), linux: { namespaces: [{ type: 'pid' }, { type: 'pid' }] } })).toMatch(/linux\.namespaces\[1\]: namespace pid is listed twice/);
    expect(errorOf({ ...valid(), hooks: { prestart: [{ path: 'relative' }] } })).toMatch(/hooks\.prestart\[0\]\.path/);
  });
});
