// Chapter 11 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const compose: Exercise[] = [
  {
    name: 'interpolate',
    chapter: '11-compose',
    file: '11-compose/interpolate.ts',
    functions: ['interpolate'],
    test: 'test/11-compose/interpolate.test.ts',
    hints: [
      'Compose substitutes ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, ${VAR:+alt} and $$; the colon forms treat empty like unset.',
      'the Compose specification\'s interpolation section; a loop over the characters; a ComposeError for :? and ?.',
      'Walk the text. "$$" → "$". "${": find the "}" that closes it (count "${" and "}"), then match the inside against /^(NAME)(:?[-?+])?(word)$/ and decide from env[NAME] (undefined = unset, "" = empty); interpolate word before using it. "$" then a name → env[name] ?? "". Any other "$" stays.',
    ],
  },
  {
    name: 'start-order',
    chapter: '11-compose',
    file: '11-compose/order.ts',
    functions: ['startOrder'],
    test: 'test/11-compose/order.test.ts',
    hints: [
      'Services start after their dependencies: a topological order, taking the alphabetically first ready service each time so the order is stable, and a cycle is an error.',
      'Kahn\'s algorithm; the Compose specification\'s depends_on.',
      'Check every dependency is a key first. Then keep a set of services left; each round, the ready ones are those none of whose dependencies are still left; sort them and take the first. No ready one while some are left: a cycle. To name it, walk from any left service to a left dependency until you see a service twice.',
    ],
  },
  {
    name: 'canonical-json',
    chapter: '11-compose',
    file: '11-compose/hash.ts',
    functions: ['canonicalJson'],
    test: 'test/11-compose/hash.test.ts',
    hints: [
      'Two configurations that mean the same must give the same text: same key order everywhere, no undefined values.',
      'JSON.stringify for the leaves; recursion for arrays and objects; sort keys by code unit.',
      'Arrays: "[" + items joined by "," + "]" (undefined → null). Objects: Object.entries, drop undefined values, sort by key with (a < b ? -1 : 1), then "{" + JSON.stringify(key) + ":" + canonicalJson(value) … + "}". Everything else: JSON.stringify(value).',
    ],
  },
];
