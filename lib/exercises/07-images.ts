// Chapter 07 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const images: Exercise[] = [
  {
    name: 'parse-reference',
    chapter: '07-images',
    file: '07-images/reference.ts',
    functions: ['parseReference'],
    test: 'test/07-images/parse-reference.test.ts',
    hint: 'at = ref.indexOf("@") → digest after it; then colon = rest.lastIndexOf(":"): a tag only if colon > rest.lastIndexOf("/"). first = rest.slice(0, rest.indexOf("/")) is the registry if it has "." or ":" or is "localhost" (and there is a "/"); else registry "docker.io", and a name without "/" gets "library/". Check each repository component against /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/ (uppercase → "must be lowercase"), the tag against /^\\w[\\w.-]{0,127}$/; no tag and no digest → tag "latest".',
  },
  {
    name: 'familiar-name',
    chapter: '07-images',
    file: '07-images/reference.ts',
    functions: ['familiarName'],
    test: 'test/07-images/familiar-name.test.ts',
    hint: 'Not docker.io → `${r.registry}/${r.repository}`. On docker.io: "library/x" (exactly two components) → "x", anything else → r.repository.',
  },
  {
    name: 'select-platform',
    chapter: '07-images',
    file: '07-images/platform.ts',
    functions: ['selectPlatform'],
    test: 'test/07-images/select-platform.test.ts',
    hint: 'const want = normalizePlatform(wanted); return index.manifests.find((m) => m.platform && (have = normalizePlatform(m.platform)).os === want.os && have.architecture === want.architecture && (!want.variant || have.variant === want.variant)).',
  },
  {
    name: 'parse-auth-challenge',
    chapter: '07-images',
    file: '07-images/challenge.ts',
    functions: ['parseAuthChallenge'],
    test: 'test/07-images/parse-auth-challenge.test.ts',
    hint: 'scheme = text up to the first space, lowercased. Then loop: skip spaces and commas; name = up to "=" (lowercased); if the next char is `"`, read to the next unescaped `"` (a backslash takes the next char as is), else read to the next ",". Store params[name] = value.',
  },
];
