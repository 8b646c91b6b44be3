// carton events: what happened to containers, images, networks and volumes, as Docker's event
// stream has it. With no daemon to broadcast them, each carton process appends the events it
// causes to one file ($CARTON_ROOT/events.jsonl, a JSON object a line: appends of a line are
// not interleaved), and `carton events` reads it and follows it. The file is cut to its newer
// half when it passes 1 MiB, so it never grows without end.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cartonRoot } from './paths.js';
import type { ContainerRecord } from './state.js';

export interface CartonEvent {
  /** container, image, network, volume */
  Type: string;
  /** create, start, die, stop, kill, destroy, pause, unpause, rename, restart, health_status: healthy, pull, tag, untag, delete, connect, disconnect, … */
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  /** Seconds since the epoch (Docker's time), and milliseconds (Docker's timeNano is these and six zeros: a JavaScript number cannot hold it exactly). */
  time: number;
  timeMs: number;
}

const LIMIT = 1024 * 1024;
export const eventsFile = (): string => join(cartonRoot(), 'events.jsonl');

/** Record one event. Never fails the command that caused it: events are a record, not a step. */
export function emit(type: string, action: string, id: string, attributes: Record<string, string> = {}): void {
  const now = Date.now();
  const event: CartonEvent = { Type: type, Action: action, Actor: { ID: id, Attributes: attributes }, time: Math.floor(now / 1000), timeMs: now };
  const file = eventsFile();
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, JSON.stringify(event) + '\n');
    if (statSync(file).size > LIMIT) {
      const text = readFileSync(file, 'utf8');
      const kept = text.slice(text.indexOf('\n', text.length / 2) + 1);
      writeFileSync(`${file}.${process.pid}`, kept);
      renameSync(`${file}.${process.pid}`, file);
    }
  } catch {
    // a full disk or a read-only root: the command itself goes on
  }
}

/** A container event, with Docker's attributes: image, name, and the container's labels. */
export function containerEvent(action: string, record: Pick<ContainerRecord, 'id' | 'image' | 'name' | 'labels'>, more: Record<string, string> = {}): void {
  emit('container', action, record.id, { ...(record.labels ?? {}), image: record.image, name: record.name, ...more });
}

/** The events recorded from byte `offset` on, and the offset after them. */
export function readEvents(offset = 0): { events: CartonEvent[]; offset: number } {
  const file = eventsFile();
  if (!existsSync(file)) return { events: [], offset: 0 };
  const buffer = readFileSync(file);
  if (buffer.length < offset) offset = 0; // cut meanwhile: read it again from its start
  const text = buffer.subarray(offset).toString('utf8');
  const end = text.lastIndexOf('\n') + 1;
  const events = text.slice(0, end).split('\n').filter(Boolean).flatMap((l) => {
    try {
      return [JSON.parse(l) as CartonEvent];
    } catch {
      return [];
    }
  });
  return { events, offset: offset + Buffer.byteLength(text.slice(0, end)) };
}
