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
  {
    name: 'service-plan',
    chapter: '11-compose',
    file: '11-compose/plan.ts',
    functions: ['servicePlan'],
    test: 'test/11-compose/plan.test.ts',
    hints: [
      'Decide container by container, in a fixed order (by number, then id), so that the result does not depend on the order you were given: is its number still wanted and not yet taken? Is it current? Then the numbers to create are simply those that no kept container holds.',
      'Sort a copy of existing; a Set of the numbers already taken; "current" means the same hash, and the same image when o.imageId is known; o.noRecreate wins over a change, o.forceRecreate over "current". Then loop n from 1 to o.replicas. Docker Compose\'s convergence (docs.docker.com/compose: "docker compose up": --force-recreate, --no-recreate, --scale).',
      'for each c sorted: if (c.number < 1 || c.number > o.replicas || taken.has(c.number)) remove; else { taken.add(c.number); changed = c.hash !== o.hash || (o.imageId !== undefined && c.imageId !== o.imageId); if (!o.noRecreate && (o.forceRecreate || changed)) recreate; else keep }. create = every n in 1..replicas not among the kept numbers.',
    ],
  },
];
