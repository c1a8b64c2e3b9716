/**
 * Progress of a batch on standard error: a bar redrawn in place on a terminal, a line per tenth of the work
 * otherwise (logs and pipes keep every line they get).
 */
export interface ProgressBar {
  tick(ok: boolean): void;
  finish(): void;
}

export function newProgressBar(total: number, label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  let done = 0, failed = 0, lastTenth = -1;
  const width = 30;
  const text = () => `${label} ${done}/${total}${failed ? ` (${failed} failed)` : ''}`;
  const draw = () => {
    if (stream.isTTY) {
      const filled = total === 0 ? width : Math.round((done / total) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text()}`);
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      stream.write(`${text()}\n`);
    }
  };
  return {
    tick(ok) {
      done++;
      if (!ok) failed++;
      draw();
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
