// Raw tar members for crafted (hostile or unusual) archives, written byte by byte here
// rather than by the tar writer under test: ustar headers with any type flag, GNU long
// name/link members ('L', 'K'), pax extended headers ('x', 'g') with any records.
const BLOCK = 512;

export interface RawMember {
  name: string;
  type?: string; // the type flag: '0' file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo, …
  linkname?: string;
  data?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  devmajor?: number;
  devminor?: number;
  /** Size field, when it must lie about the data. */
  size?: number;
}

const pad = (n: number) => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);
const oct = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0';

export function header(m: RawMember, dataLength: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(m.name, 0, 100, 'utf8');
  h.write(oct(m.mode ?? 0o644, 8), 100, 'latin1');
  h.write(oct(m.uid ?? 0, 8), 108, 'latin1');
  h.write(oct(m.gid ?? 0, 8), 116, 'latin1');
  h.write(oct(m.size ?? dataLength, 12), 124, 'latin1');
  h.write(oct(m.mtime ?? 0, 12), 136, 'latin1');
  h.fill(0x20, 148, 156);
  h.write(m.type ?? '0', 156, 'latin1');
  h.write(m.linkname ?? '', 157, 100, 'utf8');
  h.write('ustar\x0000', 257, 'latin1');
  h.write(oct(m.devmajor ?? 0, 8), 329, 'latin1');
  h.write(oct(m.devminor ?? 0, 8), 337, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(oct(sum, 7) + ' ', 148, 'latin1');
  return h;
}

export function raw(m: RawMember): Buffer {
  const data = typeof m.data === 'string' ? Buffer.from(m.data) : m.data ?? Buffer.alloc(0);
  return Buffer.concat([header(m, data.length), data, pad(data.length)]);
}

/** A GNU long name ('L') or long link ('K') member, to be followed by the member it names. */
export function gnuLong(flag: 'L' | 'K', value: string): Buffer {
  return raw({ name: '././@LongLink', type: flag, data: Buffer.from(value + '\0') });
}

/** A pax record "LEN key=value\n". */
export function paxRecord(key: string, value: string | Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')]);
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len)), body]);
}

/** A pax extended header member ('x' for the next member, 'g' global). */
export function pax(records: Record<string, string | Buffer>, flag: 'x' | 'g' = 'x'): Buffer {
  const data = Buffer.concat(Object.entries(records).map(([k, v]) => paxRecord(k, v)));
  return raw({ name: 'PaxHeaders/x', type: flag, data });
}

export function archive(...members: Buffer[]): Buffer {
  return Buffer.concat([...members, Buffer.alloc(2 * BLOCK)]);
}
