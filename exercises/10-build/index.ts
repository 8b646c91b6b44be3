// Chapter 10 — build, the learner's version: three exercises, the rest from solutions/.
// carton build calls these through the implementation switch.
export { parseDockerfile, jsonForm, type Dockerfile, type Instruction } from '../../solutions/10-build/dockerfile.js';
export { expand } from './substitute.js';
export { parseIgnore, patternRegex, isIgnored, type IgnoreRule } from './ignore.js';
export { neededStages, type StageRef } from './stages.js';
