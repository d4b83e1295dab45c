import { writeFileSync } from 'node:fs';

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
