// Tests import chapter modules as `@impl/NN-topic/...`; CARTON_IMPL decides whether that is
// solutions/ (the default) or exercises/ (the learner's code). An alias, not a custom
// resolve condition: conditions are not applied on every vitest path (vitest #7588, #5301).
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { implName } from './lib/impl-name.js';

const impl = implName(process.env.CARTON_IMPL);

export default defineConfig({
  resolve: {
    alias: [{ find: /^@impl\//, replacement: fileURLToPath(new URL(`./${impl}/`, import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Chapter tests change kernel state (mounts, namespaces, cgroups): run files one at a
    // time so that a leak check after each file sees only that file's leftovers.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
