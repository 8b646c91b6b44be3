// Go's text/template, as Docker users write it in --format.
import { describe, expect, it } from 'vitest';
import { goString, renderRows, renderTemplate } from '../../lib/cli/template.js';

const data = { ID: 'abc', Names: 'web', Args: ['httpd', '-f'], Labels: { tier: 'web', team: 'a' }, State: { Status: 'running', Pid: 42 }, Empty: [], Count: 0 };

describe('renderTemplate', () => {
  it('fields, nested fields, literal text, \\t and \\n', () => {
    expect(renderTemplate('{{.ID}}\\t{{.Names}} pid={{.State.Pid}}\\n', data)).toBe('abc\tweb pid=42\n');
  });
  it('values print as Go prints them', () => {
    expect(renderTemplate('{{.Args}} {{.Labels}} {{.Empty}}', data)).toBe('[httpd -f] map[team:a tier:web] []');
    expect(goString(undefined)).toBe('<no value>');
  });
  it('json, join, index, len, upper, lower, title, printf, println, split and pipes', () => {
    expect(renderTemplate('{{json .Labels}}', data)).toBe('{"tier":"web","team":"a"}');
    expect(renderTemplate('{{json .}}', { A: 1 })).toBe('{"A":1}');
    expect(renderTemplate('{{join .Args ","}}', data)).toBe('httpd,-f');
    expect(renderTemplate('{{index .Labels "tier"}} {{len .Args}}', data)).toBe('web 2');
    expect(renderTemplate('{{upper .Names}} {{.Names | title}} {{lower "ABC"}}', data)).toBe('WEB Web abc');
    expect(renderTemplate('{{printf "%s=%d" .Names .State.Pid}}|{{printf "%-5s|" .ID}}', data)).toBe('web=42|abc  |');
    expect(renderTemplate('{{println .ID .Names}}', data)).toBe('abc web\n');
    expect(renderTemplate('{{index (split "a:b" ":") 1}}', data)).toBe('b');
  });
  it('if/else, with, range (with variables), eq, not, and trimming', () => {
    expect(renderTemplate('{{if eq .State.Status "running"}}up{{else}}down{{end}}', data)).toBe('up');
    expect(renderTemplate('{{if .Count}}some{{else}}none{{end}} {{if not .Empty}}empty{{end}}', data)).toBe('none empty');
    expect(renderTemplate('{{with .State}}{{.Pid}}{{end}}', data)).toBe('42');
    expect(renderTemplate('{{range .Args}}[{{.}}]{{end}}', data)).toBe('[httpd][-f]');
    expect(renderTemplate('{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}', data)).toBe('team=a;tier=web;');
    expect(renderTemplate('{{range .Empty}}x{{else}}nothing{{end}}', data)).toBe('nothing');
    expect(renderTemplate('a  {{- .ID -}}  b', data)).toBe('aabcb');
  });
  it('an unknown field, function or a missing end is an error, never an empty string', () => {
    expect(() => renderTemplate('{{.Nope}}', data)).toThrow(/can't evaluate field Nope/);
    expect(() => renderTemplate('{{.State.Nope}}', data)).toThrow(/can't evaluate field Nope/);
    expect(() => renderTemplate('{{frob .ID}}', data)).toThrow(/function "frob" not defined/);
    expect(() => renderTemplate('{{if .ID}}x', data)).toThrow(/missing \{\{end\}\}/);
  });
});

describe('renderRows', () => {
  const align = (rows: string[][]) => rows.map((r) => r.join(' | ')).join('\n') + '\n';
  it('table: a header from the fields (named, else upper-cased), then a row per item', () => {
    expect(renderRows('table {{.ID}}\\t{{.Names}}', [data, { ...data, ID: 'def', Names: 'db' }], { ID: 'CONTAINER ID' }, align)).toBe('CONTAINER ID | NAMES\nabc | web\ndef | db\n');
  });
  it('without table: one line per item', () => {
    expect(renderRows('{{.Names}}', [data, { ...data, Names: 'db' }], {}, align)).toBe('web\ndb\n');
  });
});

describe('logs --since/--until times', async () => {
  const { parseTime } = await import('../../lib/cli/commands/logs.js');
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('RFC 3339, Unix seconds, and durations before now', () => {
    expect(parseTime('2026-12-01T10:00:00Z', '--since', now)).toBe(Date.parse('2026-12-01T10:00:00Z'));
    expect(parseTime('2026-12-01T11:00:00+01:00', '--since', now)).toBe(Date.parse('2026-12-01T10:00:00Z'));
    expect(parseTime('1764583200', '--since', now)).toBe(1764583200_000);
    expect(parseTime('10m', '--since', now)).toBe(now - 600_000);
    expect(parseTime('1h30m', '--since', now)).toBe(now - 5_400_000);
    expect(parseTime('45s', '--since', now)).toBe(now - 45_000);
    expect(() => parseTime('yesterday', '--since', now)).toThrow(/invalid value for --since/);
  });
});
