// How the CLI prints errors: carton's own (message + hint), a learner's unwritten exercise
// (a next step, not a bug), and anything else (an internal error, with its stack).
import { describe, expect, it } from 'vitest';
import { renderError } from '../../lib/cli/render.js';
import { CartonError } from '../../lib/sys/index.js';
import { NotImplemented } from '../../lib/todo.js';

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('renderError', () => {
  it('prints a CartonError as one line and its hint', async () => {
    expect(plain(await renderError(new CartonError('pull x: no such image', 'check the name')))).toBe('carton: pull x: no such image\nhint: check the name\n');
  });

  it('prints an unwritten exercise as the TODO it is, without a stack or "bug"', async () => {
    const text = plain(await renderError(new NotImplemented('parseReference', 'exercises/07-images/reference.ts')));
    expect(text.split('\n')[0]).toBe('carton: TODO: parseReference is not written yet (exercises/07-images/reference.ts)');
    expect(text).toContain('npm start');
    expect(text).not.toContain('bug');
    expect(text).not.toMatch(/\n\s+at /); // no stack
  });

  it('prints anything else as an internal error with its stack', async () => {
    const text = plain(await renderError(new TypeError('x is undefined')));
    expect(text).toMatch(/^carton: internal error: TypeError: x is undefined\n\s+at /);
    expect(text).toContain('this is a bug in carton');
  });
});
