import { createWriteStream, writeFileSync } from 'node:fs';

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes to a file (its folder exists: checked before the work, see assertOutputFolder) or to stdout. */
export function writeOutput(text: string, file?: string): void {
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
}

/**
 * Writes a report chunk by chunk to a file (its folder exists, as for writeOutput) or stdout, waiting whenever the
 * stream asks to (backpressure), so a report of a million results never sits in memory whole.
 * A file that cannot be written is an error; stdout whose reader has gone (`| head`) is left quietly.
 */
export async function writeChunks(chunks: Iterable<string>, file?: string): Promise<void> {
  if (!file) {
    await writeAll(chunks, process.stdout);
    return;
  }
  const out = createWriteStream(file);
  let failure: unknown;
  out.on('error', (e) => (failure ??= e));
  await writeAll(chunks, out);
  if (failure === undefined) await new Promise<void>((resolve) => out.end(resolve));
  if (failure !== undefined) throw failure;
}

async function writeAll(chunks: Iterable<string>, out: NodeJS.WritableStream & { destroyed?: boolean }): Promise<void> {
  for (const chunk of chunks) {
    if (out.destroyed) return;
    if (!out.write(chunk)) await drained(out);
  }
}

function drained(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    out.on('error', done);
  });
}

export function useColor(toFile: boolean): boolean {
  return !toFile && process.stdout.isTTY === true && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb';
}

const quietStreams = new WeakSet<NodeJS.WritableStream>();

/**
 * `hardline … | head` closes stdout early: the rest of the output is dropped without a stack trace
 * and the command still finishes (a scan still saves) with its own exit code.
 */
export function ignoreClosedOutput(stream: NodeJS.WritableStream = process.stdout): void {
  if (quietStreams.has(stream)) return;
  quietStreams.add(stream);
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    throw e;
  });
}
