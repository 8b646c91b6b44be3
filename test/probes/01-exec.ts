// Probe: execProgram(argv, env) with the implementation under test. argv[2] is a JSON
// {argv, env}. On success this process becomes the program; on failure, report the error.
import { chapter } from '../../lib/impl.js';

const { argv, env } = JSON.parse(process.argv[2]) as { argv: string[]; env: string[] };
const { execProgram } = await chapter.chroot();
try {
  execProgram(argv, env);
} catch (error) {
  const e = error as Error & { exitCode?: number };
  process.stdout.write(JSON.stringify({ error: e.message, exitCode: e.exitCode ?? null }) + '\n');
  process.exit(e.exitCode ?? 1);
}
