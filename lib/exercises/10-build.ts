// Chapter 10 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const build: Exercise[] = [
  {
    name: 'expand',
    chapter: '10-build',
    file: '10-build/substitute.ts',
    functions: ['expand'],
    test: 'test/10-build/expand.test.ts',
    hints: [
      'Dockerfile variables: $NAME, ${NAME}, ${NAME:-word} and ${NAME:+word}, with the escape character to keep a $ literal.',
      'the Dockerfile reference (Environment replacement); a loop over the characters, not one regular expression.',
      'Walk the text: escape then $ → "$"; "${" → find the matching "}" (count nested braces), match /^(NAME)(?::([-+])(word))?$/ on what is inside and decide with vars[NAME]; "$" then a name → its value; any other "$" stays. Expand word recursively.',
    ],
  },
  {
    name: 'docker-ignore',
    chapter: '10-build',
    file: '10-build/ignore.ts',
    functions: ['patternRegex'],
    test: 'test/10-build/dockerignore.test.ts',
    hints: [
      'Each .dockerignore pattern is a path glob: turn it into an anchored regular expression, with ** crossing directories and * not.',
      'the Dockerfile reference (.dockerignore file), Go\'s filepath.Match rules.',
      'Build a string: "**/" → "(?:.*/)?", a final "**" → ".*", "*" → "[^/]*", "?" → "[^/]", "[...]" copied (a leading "!" becomes "^"), "\\\\x" → the escaped x, anything else escaped with a backslash if it is one of . + ^ $ { } ( ) |. Then new RegExp(`^${body}$`).',
    ],
  },
  {
    name: 'needed-stages',
    chapter: '10-build',
    file: '10-build/stages.ts',
    functions: ['neededStages'],
    test: 'test/10-build/needed-stages.test.ts',
    hints: [
      'A graph walk: start from the target, and from every stage you reach, go on to each earlier stage its FROM or COPY --from names. Remember what you have seen, so that a stage two others need is counted once; answer in index order, the order the build runs them.',
      'A lookup that finds a stage by lower-cased name or by its index as text; a Set of indices; a recursive need(stage) (or a stack); only stages with a smaller index than the one naming them; [...set].sort((a, b) => a - b). The Dockerfile reference, "Multi-stage builds" and "COPY --from".',
      'const find = (ref) => stages.find((s) => s.name === ref.toLowerCase() || String(s.index) === ref); const needed = new Set(); const need = (s) => { if (needed.has(s.index)) return; needed.add(s.index); for (const ref of [s.base, ...s.copyFrom]) { const o = find(ref); if (o && o.index < s.index) need(o) } }; need(target); return [...needed].sort((a, b) => a - b);',
    ],
  },
];
