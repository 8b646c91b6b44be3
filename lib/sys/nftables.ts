// nftables through libnftables, the library the `nft` command is a thin front end of: the
// same script, the same parser, the same error messages, in one FFI call instead of a
// process (`nft_run_cmd_from_buffer`, man 3 libnftables). The script is applied as one
// netlink batch, so it is all-or-nothing exactly as `nft -f` is.
import { createRequire } from 'node:module';
import { CartonError } from './errors.js';

type Koffi = typeof import('koffi');
type Fn = (...args: unknown[]) => unknown;

const OUTPUT_HANDLE = 1 << 3; // NFT_CTX_OUTPUT_HANDLE: `nft -a`
const OUTPUT_JSON = 1 << 4; // NFT_CTX_OUTPUT_JSON: `nft -j`

interface Library {
  run: Fn;
  output: Fn;
  error: Fn;
  flags: Fn;
}
interface Context {
  ctx: unknown;
  json: boolean;
}

let lib: Library | undefined;
const contexts = new Map<boolean, Context>();

function library(): Library {
  if (lib) return lib;
  const koffi = createRequire(import.meta.url)('koffi') as Koffi;
  let so: ReturnType<Koffi['load']>;
  try {
    so = koffi.load('libnftables.so.1');
  } catch (err) {
    throw new CartonError(`load libnftables.so.1: ${(err as Error).message}`, 'install nftables (Debian: apt-get install nftables), or run `npm run setup`');
  }
  koffi.opaque('nft_ctx');
  lib = {
    run: so.func('int nft_run_cmd_from_buffer(nft_ctx *ctx, const char *buf)') as Fn,
    output: so.func('const char *nft_ctx_get_output_buffer(nft_ctx *ctx)') as Fn,
    error: so.func('const char *nft_ctx_get_error_buffer(nft_ctx *ctx)') as Fn,
    flags: so.func('void nft_ctx_output_set_flags(nft_ctx *ctx, unsigned int flags)') as Fn,
  };
  const create = so.func('nft_ctx *nft_ctx_new(uint32_t flags)') as Fn;
  const bufferOutput = so.func('int nft_ctx_buffer_output(nft_ctx *ctx)') as Fn;
  const bufferError = so.func('int nft_ctx_buffer_error(nft_ctx *ctx)') as Fn;
  // Two contexts, kept for the process: one for scripts, one that answers in JSON with handles.
  for (const json of [false, true]) {
    const ctx = create(0);
    bufferOutput(ctx); // what nft would print goes to a buffer we read, not to our stdout
    bufferError(ctx);
    if (json) lib.flags(ctx, OUTPUT_JSON | OUTPUT_HANDLE);
    contexts.set(json, { ctx, json });
  }
  return lib;
}

/** An nft script that failed: what nft said, as `nft -f` would print it. */
export class NftError extends CartonError {
  readonly said: string;
  constructor(said: string) {
    super(`nft: ${said}`);
    this.said = said;
  }
}

/**
 * Run an nft script (`nft -f -`), or one command; `json` answers as `nft -j -a` does.
 * Returns what nft would print; throws NftError with nft's error text when it fails.
 */
export function nftRun(script: string, json = false): string {
  const l = library();
  const { ctx } = contexts.get(json)!;
  const status = l.run(ctx, script) as number;
  // Reading a buffer also empties it for the next command.
  const output = (l.output(ctx) as string | null) ?? '';
  const error = (l.error(ctx) as string | null) ?? '';
  if (status !== 0) throw new NftError(error.trim() || `exit status ${status}`);
  return output;
}
