// Chapter 11 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const compose: Exercise[] = [
  {
    name: 'interpolate',
    chapter: '11-compose',
    file: '11-compose/interpolate.ts',
    functions: ['interpolate'],
    test: 'test/11-compose/interpolate.test.ts',
    hint: 'Walk the text. "$$" → "$". "${": find the "}" that closes it (count "${" and "}"), then match the inside against /^(NAME)(:?[-?+])?(word)$/ and decide from env[NAME] (undefined = unset, "" = empty); interpolate word before using it. "$" then a name → env[name] ?? "". Any other "$" stays.',
  },
  {
    name: 'start-order',
    chapter: '11-compose',
    file: '11-compose/order.ts',
    functions: ['startOrder'],
    test: 'test/11-compose/order.test.ts',
    hint: 'Check every dependency is a key first. Then keep a set of services left; each round, the ready ones are those none of whose dependencies are still left; sort them and take the first. No ready one while some are left: a cycle. To name it, walk from any left service to a left dependency until you see a service twice.',
  },
  {
    name: 'canonical-json',
    chapter: '11-compose',
    file: '11-compose/hash.ts',
    functions: ['canonicalJson'],
    test: 'test/11-compose/hash.test.ts',
    hint: 'Arrays: "[" + items joined by "," + "]" (undefined → null). Objects: Object.entries, drop undefined values, sort by key with (a < b ? -1 : 1), then "{" + JSON.stringify(key) + ":" + canonicalJson(value) … + "}". Everything else: JSON.stringify(value).',
  },
];
