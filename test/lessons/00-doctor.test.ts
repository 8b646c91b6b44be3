// Chapter 00's lesson: doctor runs as written, in both forms.
import { describe, expect, it } from 'vitest';
import { lessonBlock, sh } from '../helpers/lesson.js';

const CHAPTER = '00-doctor';

describe('chapter 00 lesson commands', () => {
  it('doctor: a report, and the same as JSON', async () => {
    const [text, json] = lessonBlock(CHAPTER, 'doctor');
    const report = await sh(text);
    expect(report.stdout).toMatch(/cgroups/i);
    const parsed = await sh(json);
    expect(parsed.status).toBe(report.status); // the same verdict either way
    expect(() => JSON.parse(parsed.stdout)).not.toThrow();
  });
});
