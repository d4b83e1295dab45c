/** A single updating status line on stderr for long scans; silent when stderr is not a terminal. */
export interface Progress {
  update(message: string): void;
  done(message?: string): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const enabled = stream.isTTY === true && !process.env['CI'];
  let last = 0;
  return {
    update(message) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 80) return; // at most ~12 redraws a second
      last = now;
      stream.write(`\r\x1b[2K${message.slice(0, Math.max(20, (stream.columns || 120) - 1))}`);
    },
    done(message) {
      if (!enabled) return;
      stream.write('\r\x1b[2K' + (message ? message + '\n' : ''));
    },
  };
}

export const silentProgress: Progress = { update() {}, done() {} };
