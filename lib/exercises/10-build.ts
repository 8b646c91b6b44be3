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
];
