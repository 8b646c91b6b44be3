// Drive a program in a real terminal: tmux on a private socket, send-keys to type,
// capture-pane to read the screen. Waits poll the screen until a deadline (no timings).
import { execFileSync } from 'node:child_process';

export class Terminal {
  private readonly socket = `carton-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(command: string, columns = 100, rows = 30) {
    // `; sleep 600` keeps the pane (and so the tmux server) alive after the command ends,
    // so the test can read what it printed last.
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(columns), '-y', String(rows), `${command}; sleep 600`);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  type(keys: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', keys);
  }

  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows));
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** Wait until the screen matches; throws with the screen's content after `seconds`. */
  async waitFor(pattern: RegExp, seconds = 15): Promise<string> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const text = this.screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

/** This test run's state roots and network as shell assignments, for a command typed into a Terminal. */
export function stateEnv(): string {
  return ['CARTON_ROOT', 'CARTON_RUN', 'CARTON_BRIDGE', 'CARTON_NFT_TABLE', 'CARTON_OFFLINE'].map((k) => `${k}=${process.env[k] ?? ''}`).join(' ');
}
