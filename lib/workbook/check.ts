// Checking an exercise: run its test file with vitest against the learner's code
// (CARTON_IMPL=exercises) and read the JSON report for the first failing assertion, shown
// whole, with the lines of code where it happened.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Exercise } from '../exercises/index.js';
import { solutionChapters } from '../impl-name.js';
import { targetedHints } from './hints.js';

export interface CheckResult {
  exercise: Exercise;
  passed: boolean;
  /** Every test was skipped (e.g. it needs root): neither a pass nor a failure. */
  skipped: boolean;
  /** The first failing assertion's message, or vitest's error when the run itself failed. */
  message?: string;
  /** The source lines around where it failed, in the learner's file if the stack passes there. */
  frame?: string;
  /** Hints about what went wrong (root needed, a stub still in place), not about the answer. */
  hints: string[];
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { message?: string; assertionResults: { status: string; fullName: string; failureMessages: string[] }[] }[];
}

/** The environment of a check: the learner's code for this chapter, even if they skipped it once. */
export function checkEnv(exercise: Exercise): NodeJS.ProcessEnv {
  const others = solutionChapters().filter((n) => n !== parseInt(exercise.chapter, 10));
  // CARTON_WORKBOOK_RECORD=0: this check records its own result (lib/workbook/reporter.ts stands aside).
  return { ...process.env, CARTON_IMPL: 'exercises', CARTON_SOLUTIONS: others.join(','), CARTON_WORKBOOK_RECORD: '0', FORCE_COLOR: '0' };
}

function run(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'vitest'), args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', () => resolve(output));
  });
}

export async function checkExercise(root: string, exercise: Exercise): Promise<CheckResult> {
  const dir = mkdtempSync(join(tmpdir(), 'carton-check-'));
  const reportFile = join(dir, 'report.json');
  try {
    const output = await run(root, ['run', exercise.test, '--reporter=json', `--outputFile=${reportFile}`], checkEnv(exercise));
    let report: VitestReport | undefined;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport;
    } catch {
      report = undefined;
    }
    if (!report) return { exercise, passed: false, skipped: false, message: readable(output), hints: targetedHints(output, exercise) };
    const failed = report.testResults.flatMap((f) => f.assertionResults).find((a) => a.status === 'failed');
    const fileError = report.testResults.find((f) => f.message)?.message;
    const passed = report.numFailedTests === 0 && !fileError && report.numPassedTests > 0;
    const skipped = !passed && !failed && !fileError && report.numFailedTests === 0;
    const raw = failed ? failed.failureMessages[0] ?? '' : fileError ?? '';
    const message = failed ? `${failed.fullName}:\n${readable(raw)}` : fileError ? readable(fileError) : undefined;
    const everything = [output, ...report.testResults.flatMap((f) => [f.message ?? '', ...f.assertionResults.flatMap((a) => a.failureMessages)])].join('\n');
    return { exercise, passed, skipped, message, frame: passed ? undefined : codeFrame(root, raw, exercise), hints: passed ? [] : targetedHints(everything, exercise) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The whole message, without the stack frames (the code frame says where). */
export function readable(text: string): string {
  return text.split('\n').filter((l) => !/^\s+at /.test(l)).join('\n').trim();
}

/**
 * Three lines either side of where the failure happened, with a caret: the first stack frame
 * in the learner's file, else in the test file.
 */
export function codeFrame(root: string, stack: string, exercise: Exercise): string | undefined {
  const frames = [...stack.matchAll(/(?:\(|at )(\/[^():\s]+\.ts):(\d+):(\d+)\)?/g)].map((m) => ({ file: m[1], line: Number(m[2]), column: Number(m[3]) }));
  const pick = frames.find((f) => f.file.endsWith(`exercises/${exercise.file}`)) ?? frames.find((f) => f.file.endsWith(exercise.test));
  if (!pick || !existsSync(pick.file)) return undefined;
  const lines = readFileSync(pick.file, 'utf8').split('\n');
  const from = Math.max(0, pick.line - 4);
  const to = Math.min(lines.length, pick.line + 3);
  const width = String(to).length;
  const out = [`${relative(root, pick.file)}:${pick.line}:${pick.column}`];
  for (let i = from; i < to; i++) {
    out.push(`${i + 1 === pick.line ? '>' : ' '} ${String(i + 1).padStart(width)} | ${lines[i]}`);
    if (i + 1 === pick.line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, pick.column - 1))}^`);
  }
  return out.join('\n');
}
