// Progress while a run works: in a terminal, one live line per provider (done/total, errors,
// spend, ETA) redrawn in place; elsewhere (CI logs) a plain line per provider every few seconds.
// Written to stderr, so that stdout stays clean for --json.

import type { RunEvent } from './execute.ts';
import type { Cell } from './plan.ts';

interface Tally {
  total: number;
  done: number;
  cached: number;
  errors: number;
  spent: number;
  retries: number;
}

export class Progress {
  private readonly tallies = new Map<string, Tally>();
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private drawn = 0;

  constructor(
    cells: Cell[],
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly everyMs = tty ? 250 : 5000,
  ) {
    for (const c of cells) this.tally(c.model.provider).total++;
  }

  private tally(provider: string): Tally {
    let t = this.tallies.get(provider);
    if (!t) this.tallies.set(provider, (t = { total: 0, done: 0, cached: 0, errors: 0, spent: 0, retries: 0 }));
    return t;
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), this.everyMs);
    this.timer.unref();
  }

  event(e: RunEvent): void {
    if (e.type === 'finished') {
      const t = this.tally(e.result.provider);
      t.done++;
      if (e.result.cached) t.cached++;
      if (e.result.status === 'error') t.errors++;
      else if (!e.result.cached) t.spent += e.result.costUsd ?? 0;
    } else if (e.type === 'retry') {
      this.tally(e.cell.model.provider).retries++;
    } else {
      this.stopDrawing();
      this.write(`${notice(e)}\n`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.draw(true);
  }

  private stopDrawing(): void {
    if (this.tty && this.drawn) this.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private draw(final = false): void {
    const lines = [...this.tallies].map(([provider, t]) => this.line(provider, t));
    if (this.tty) {
      this.stopDrawing();
      this.write(`${lines.join('\n')}\n`);
      this.drawn = final ? 0 : lines.length;
    } else {
      this.write(`${lines.map((l) => `[${elapsed(Date.now() - this.started)}] ${l}`).join('\n')}\n`);
    }
  }

  private line(provider: string, t: Tally): string {
    const live = t.done - t.cached;
    const left = t.total - t.done;
    const rate = live / Math.max(1, Date.now() - this.started);
    const eta = left && rate > 0 ? ` · ETA ${elapsed(left / rate)}` : '';
    const parts = [`${provider.padEnd(17)} ${t.done}/${t.total} done`, t.cached && `${t.cached} stored`, t.errors && `${t.errors} errors`, t.retries && `${t.retries} retries`, `$${t.spent.toFixed(2)}`].filter(Boolean);
    return `${parts.join(' · ')}${eta}`;
  }
}

/** The line for an event that changes the course of the run. */
function notice(e: Exclude<RunEvent, { type: 'finished' | 'retry' }>): string {
  switch (e.type) {
    case 'auth-failed':
      return `✗ ${e.message}`;
    case 'budget-reached':
      return `■ spend cap $${e.capUsd.toFixed(2)} reached ($${e.spentUsd.toFixed(2)} spent); not starting more cells`;
    case 'write-failed':
      return `■ cannot write ${e.where} (${e.reason}): starting no more cells; holding the answers in flight and trying again for up to ${Math.round(e.windowMs / 1000)} s (free space now to keep them; Ctrl-C twice gives up)`;
  }
}

function elapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
