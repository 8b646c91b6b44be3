// Chapter 07 exercises, in the order the lesson introduces them.
import type { Exercise } from './types.js';

export const images: Exercise[] = [
  {
    name: 'parse-reference',
    chapter: '07-images',
    file: '07-images/reference.ts',
    functions: ['parseReference'],
    test: 'test/07-images/parse-reference.test.ts',
    hints: [
      'An image reference is [REGISTRY/]REPOSITORY[:TAG][@DIGEST]; the hard parts are telling a registry from a path component and a tag\'s colon from a port\'s.',
      'the distribution project\'s reference grammar (reference/reference.go); docker.io and library/ defaults.',
      'at = ref.indexOf("@") → digest after it; then colon = rest.lastIndexOf(":"): a tag only if colon > rest.lastIndexOf("/"). first = rest.slice(0, rest.indexOf("/")) is the registry if it has "." or ":" or is "localhost" (and there is a "/"); else registry "docker.io", and a name without "/" gets "library/". Check each repository component against /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/ (uppercase → "must be lowercase"), the tag against /^\\w[\\w.-]{0,127}$/; no tag and no digest → tag "latest".',
    ],
  },
  {
    name: 'familiar-name',
    chapter: '07-images',
    file: '07-images/reference.ts',
    functions: ['familiarName'],
    test: 'test/07-images/familiar-name.test.ts',
    hints: [
      'Docker shows the shortest name that means the same image: no docker.io/, and no library/ for official images.',
      'the \'familiar\' form in distribution\'s reference/normalize.go.',
      'Not docker.io → `${r.registry}/${r.repository}`. On docker.io: "library/x" (exactly two components) → "x", anything else → r.repository.',
    ],
  },
  {
    name: 'select-platform',
    chapter: '07-images',
    file: '07-images/platform.ts',
    functions: ['selectPlatform'],
    test: 'test/07-images/select-platform.test.ts',
    hints: [
      'An image index lists one manifest per platform; take the one whose os and architecture match, and the variant when one is wanted.',
      'the OCI image spec\'s image-index.md (platform), normalizePlatform in the same chapter.',
      'const want = normalizePlatform(wanted); return index.manifests.find((m) => m.platform && (have = normalizePlatform(m.platform)).os === want.os && have.architecture === want.architecture && (!want.variant || have.variant === want.variant)).',
    ],
  },
  {
    name: 'parse-auth-challenge',
    chapter: '07-images',
    file: '07-images/challenge.ts',
    functions: ['parseAuthChallenge'],
    test: 'test/07-images/parse-auth-challenge.test.ts',
    hints: [
      'A registry\'s 401 names how to authenticate in WWW-Authenticate: a scheme, then comma-separated name=value pairs, values possibly quoted.',
      'RFC 7235 §4.1 and RFC 9110 (quoted-string with backslash escapes), Docker\'s token auth docs.',
      'scheme = text up to the first space, lowercased. Then loop: skip spaces and commas; name = up to "=" (lowercased); if the next char is `"`, read to the next unescaped `"` (a backslash takes the next char as is), else read to the next ",". Store params[name] = value.',
    ],
  },
  {
    name: 'pull',
    chapter: '07-images',
    file: '07-images/pull.ts',
    functions: ['pull'],
    test: 'test/07-images/pull.test.ts',
    hints: [
      'A pull is a transaction: nothing is named until everything is in the store and checked, and a failure leaves the store as it was. So: take a lease first, fetch in order (the manifest, the config it points at, then the layers the config describes), check what the config says against what was asked and what the manifest lists, store the manifest, name the image; on failure discard what was written; release the lease in every case.',
      'steps.parseReference(ref); new Registry(r.registry, { credentials, parseChallenge: steps.parseAuthChallenge }); store.leases.create(); new Fetcher(store, registry, r.repository, lease, options.onProgress); await resolve(registry, r, ref, platform, steps); fetcher.blob(manifest.config, true); store.readJson(manifest.config.digest); eachLimited(manifest.layers, concurrency, (layer, i) => fetcher.layer(layer, diffIds[i])); store.putBlob(data); store.addImage(digest, names, repoDigests); store.discard(fetcher.written); lease.release(). The OCI distribution spec\'s "Pulling manifests" and "Pulling blobs".',
      'try { const { manifest, data, repoDigest } = await resolve(...); await fetcher.blob(manifest.config, true); const config = store.readJson(manifest.config.digest); compare config.os and normalizePlatform(config).architecture with the platform; diffIds = config.rootfs?.diff_ids ?? [], the same count as manifest.layers; await eachLimited(...); const digest = store.putBlob(data); add it to fetcher.written.blobs if missing; return store.addImage(digest, r.tag ? [formatReference({ ...r, digest: undefined })] : [], [`${repoName(r)}@${repoDigest}`]); } catch (e) { lease.release(); store.discard(fetcher.written); throw e; } finally { lease.release(); }',
    ],
  },
];
