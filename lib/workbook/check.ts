// Checking an exercise: run its test file with vitest against the learner's code
// (CARTON_IMPL=exercises) and read the JSON report for the first failing assertion.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exercise } from '../exercises/index.js';
import { targetedHints } from './hints.js';

export interface CheckResult {
  exercise: Exercise;
  passed: boolean;
  /** Every test was skipped (e.g. it needs root): neither a pass nor a failure. */
  skipped: boolean;
  /** The first failing assertion's message, or vitest's error when the run itself failed. */
  message?: string;
  hints: string[];
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { message?: string; assertionResults: { status: string; fullName: string; failureMessages: string[] }[] }[];
}

function run(root: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'vitest'), args, {
      cwd: root,
      env: { ...process.env, CARTON_IMPL: 'exercises', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
    const output = await run(root, ['run', exercise.test, '--reporter=json', `--outputFile=${reportFile}`]);
    let report: VitestReport | undefined;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport;
    } catch {
      report = undefined;
    }
    if (!report) return { exercise, passed: false, skipped: false, message: firstLines(output), hints: targetedHints(output, exercise) };
    const failed = report.testResults.flatMap((f) => f.assertionResults).find((a) => a.status === 'failed');
    const fileError = report.testResults.find((f) => f.message)?.message;
    const passed = report.numFailedTests === 0 && !fileError && report.numPassedTests > 0;
    const skipped = !passed && !failed && !fileError && report.numFailedTests === 0;
    const message = failed ? `${failed.fullName}: ${firstLines(failed.failureMessages[0] ?? '')}` : fileError ? firstLines(fileError) : undefined;
    const everything = [output, ...report.testResults.flatMap((f) => [f.message ?? '', ...f.assertionResults.flatMap((a) => a.failureMessages)])].join('\n');
    return { exercise, passed, skipped, message, hints: passed ? [] : targetedHints(everything, exercise) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first few readable lines: no stack frames, no source excerpts with a caret under them. */
function firstLines(text: string, n = 3): string {
  const readable = (l: string) => l.trim() !== '' && !/^\s+at /.test(l) && !/^\s*\^+\s*$/.test(l) && l.length <= 300;
  return text.split('\n').filter(readable).slice(0, n).join('\n');
}
