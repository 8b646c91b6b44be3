// Chapter 10 — build: a Dockerfile read, its variables replaced, .dockerignore applied.
export { parseDockerfile, jsonForm, type Dockerfile, type Instruction } from './dockerfile.js';
export { expand } from './substitute.js';
export { parseIgnore, patternRegex, isIgnored, type IgnoreRule } from './ignore.js';
export { neededStages, type StageRef } from './stages.js';
