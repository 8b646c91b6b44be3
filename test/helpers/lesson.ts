// A lesson's "Run this chapter's …" commands, for the tests that prove they work as written.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect, repo } from './index.js';

/** The lines of the first sh block after the heading that starts with `heading`. */
export function lessonCommands(chapter: string, heading = "## Run this chapter's"): string[] {
  const readme = readFileSync(join(repo, 'chapters', chapter, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  return /```sh\n([\s\S]*?)```/.exec(section)![1].trim().split('\n');
}

/** Run lines with sh from the repository, as a reader would (the installed Node first on PATH). */
export function sh(script: string, env: Record<string, string> = {}) {
  return collect(spawn('sh', ['-c', script], { cwd: repo, env: { ...process.env, PATH: `${join(repo, 'node_modules/.bin')}:${process.env.PATH}`, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** The lines as one script whose stdout and stderr go to `output`; it stops at the first that fails. */
export function asScript(lines: string[], output: string): string {
  return ['set -e', `exec >>${output} 2>&1`, ...lines].join('\n') + '\n';
}
