// Docker's --change: Dockerfile instructions that edit an image's run-time config.
import { describe, expect, it } from 'vitest';
import { applyChange, applyChanges, parseInstruction } from '@impl/07-images/archive.js';

describe('--change instructions', () => {
  it('CMD and ENTRYPOINT: JSON form as is, shell form through /bin/sh -c', () => {
    expect(applyChange({}, 'CMD ["/bin/echo", "a b"]').Cmd).toEqual(['/bin/echo', 'a b']);
    expect(applyChange({}, 'CMD echo "$HOME" && ls').Cmd).toEqual(['/bin/sh', '-c', 'echo "$HOME" && ls']);
    expect(applyChange({}, 'entrypoint ["tini", "--"]').Entrypoint).toEqual(['tini', '--']);
    expect(applyChange({}, 'CMD [not json').Cmd).toEqual(['/bin/sh', '-c', '[not json']);
  });

  it('ENV: KEY=VALUE pairs with quotes and escapes, the legacy KEY VALUE form, replacing an existing key', () => {
    const env = applyChanges({ Env: ['PATH=/bin', 'A=old'] }, ['ENV A=1 B="two words" C=x\\ y', 'ENV LEGACY some value here']).Env;
    expect(env).toEqual(['PATH=/bin', 'A=1', 'B=two words', 'C=x y', 'LEGACY=some value here']);
    expect(applyChange({}, "ENV D='single $quoted'").Env).toEqual(['D=single $quoted']);
  });

  it('LABEL, USER, WORKDIR (relative to the previous one), VOLUME, STOPSIGNAL', () => {
    const c = applyChanges({}, ['LABEL a=1 "b c"=2', 'USER 1000:1000', 'WORKDIR /srv', 'WORKDIR app', 'VOLUME /data /logs', 'VOLUME ["/cache"]', 'STOPSIGNAL SIGINT']);
    expect(c).toEqual({ Labels: { a: '1', 'b c': '2' }, User: '1000:1000', WorkingDir: '/srv/app', Volumes: { '/data': {}, '/logs': {}, '/cache': {} }, StopSignal: 'SIGINT' });
  });

  it('EXPOSE: ports, protocols, ranges', () => {
    expect(applyChange({}, 'EXPOSE 80 53/udp 8000-8002/TCP').ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {}, '8002/tcp': {} });
  });

  it('does not modify its argument', () => {
    const before = { Env: ['A=1'] };
    applyChange(before, 'ENV A=2');
    expect(before).toEqual({ Env: ['A=1'] });
  });

  it('refuses what it cannot apply, saying why', () => {
    expect(() => applyChange({}, 'RUN apt-get update')).toThrow(/parse change "RUN apt-get update": RUN cannot be changed here/);
    expect(() => applyChange({}, 'EXPOSE 99999')).toThrow(/invalid port "99999"/);
    expect(() => applyChange({}, 'EXPOSE 80/icmp')).toThrow(/invalid port/);
    expect(() => applyChange({}, 'ENV A="open')).toThrow(/unterminated " quote/);
    expect(() => applyChange({}, 'ENV =x')).toThrow(/not KEY=VALUE/);
    expect(() => applyChange({}, 'USER a b')).toThrow(/one USER/);
    expect(() => applyChange({}, 'CMD')).toThrow(/no command/);
    expect(() => applyChange({}, '')).toThrow(/not an instruction/);
  });

  it('parseInstruction splits the keyword from its arguments, for a Dockerfile parser', () => {
    expect(parseInstruction('  workdir   /a b ')).toEqual({ instruction: 'WORKDIR', args: '/a b' });
  });
});
