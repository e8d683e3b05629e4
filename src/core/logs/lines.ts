/**
 * Chunks of bytes → complete lines. UTF-8 sequences split across chunks are joined (StringDecoder); invalid bytes
 * become U+FFFD. A "line" that never ends (a binary file, a runaway writer) is cut at MAX_LINE_CHARS so memory stays
 * bounded; the cut is marked in the text.
 */
import { StringDecoder } from 'node:string_decoder';

export const MAX_LINE_CHARS = 16 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    this.take(this.decoder.end());
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }

  private take(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = this.pending + text.slice(start, nl);
      this.pending = '';
      this.onLine(line.length > MAX_LINE_CHARS ? cut(line) : line);
      start = nl + 1;
    }
    this.pending += text.slice(start);
    if (this.pending.length > MAX_LINE_CHARS) {
      this.onLine(cut(this.pending));
      this.pending = '';
    }
  }
}

function cut(line: string): string {
  return `${line.slice(0, MAX_LINE_CHARS)} … [line cut: ${line.length - MAX_LINE_CHARS} more characters]`;
}
