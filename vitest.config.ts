// Tests import chapter modules as `@impl/NN-topic/...`; CARTON_IMPL decides whether that is
// solutions/ (the default) or exercises/ (the learner's code). An alias, not a custom
// resolve condition: conditions are not applied on every vitest path (vitest #7588, #5301).
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { implFor, implName, solutionChapters } from './lib/impl-name.js';
import { WorkbookReporter } from './lib/workbook/reporter.js';

const impl = implName(process.env.CARTON_IMPL);
// Chapters the learner skipped take solutions/ (lib/impl-name.ts): one alias per chapter.
const solved = impl === 'exercises' ? solutionChapters() : [];
const chapterAlias = (n: number) => ({
  find: new RegExp(`^@impl/(${String(n).padStart(2, '0')}-[\\w-]+/)`),
  replacement: fileURLToPath(new URL(`./${implFor(String(n).padStart(2, '0'), impl, solved)}/`, import.meta.url)) + '$1',
});

// A learner's test runs keep the workbook's progress (lib/workbook/reporter.ts).
const record = impl === 'exercises' && process.env.CARTON_WORKBOOK_RECORD !== '0';
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [...solved.map(chapterAlias), { find: /^@impl\//, replacement: fileURLToPath(new URL(`./${impl}/`, import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Chapter tests change kernel state (mounts, namespaces, cgroups): run files one at a
    // time so that a leak check after each file sees only that file's leftovers.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test/global-setup.ts'],
    ...(record ? { reporters: ['default', new WorkbookReporter(root)] } : {}),
  },
});
