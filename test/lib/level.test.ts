// CARTON_CHAPTER: a level from 1 to the last chapter, and the features it turns on, each
// from the chapter that builds it.
import { describe, expect, it } from 'vitest';
import { chapterLevel, featuresAt, FEATURES, LAST_CHAPTER } from '../../lib/runtime/level.js';

describe('chapter levels and features', () => {
  it('a level turns on the features of chapters 1..level, and no later one', () => {
    expect(featuresAt(1)).toEqual({ chroot: true, namespaces: false, filesystem: false, cgroups: false, overlay: false, volumes: false, network: false, images: false, oci: false, security: false });
    expect(featuresAt(5)).toMatchObject({ cgroups: true, overlay: true, volumes: true, network: false });
    expect(Object.values(featuresAt(LAST_CHAPTER)).every(Boolean)).toBe(true);
    for (const [name, chapter] of Object.entries(FEATURES)) {
      expect(featuresAt(chapter - 1)[name as keyof typeof FEATURES], name).toBe(false);
      expect(featuresAt(chapter)[name as keyof typeof FEATURES], name).toBe(true);
    }
    expect(featuresAt(6)).toBe(featuresAt(6)); // built once
    expect(Object.isFrozen(featuresAt(6))).toBe(true);
  });

  it('CARTON_CHAPTER is a chapter number; unset means every chapter; too high is the last', () => {
    expect(chapterLevel(undefined)).toBe(LAST_CHAPTER);
    expect(chapterLevel('4')).toBe(4);
    expect(chapterLevel('99')).toBe(LAST_CHAPTER);
    for (const bad of ['0', 'x', '2.5', '-1']) expect(() => chapterLevel(bad)).toThrow(/CARTON_CHAPTER must be a chapter number/);
  });
});
