/** One server-sent event: its name (`message` when the server gave none) and its data. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

/**
 * Incremental parser of a `text/event-stream` body (WHATWG HTML, "Server-sent events"):
 * feed it the decoded text as it arrives, in chunks of any size, and it returns the events
 * completed so far. Lines may end in LF, CRLF or CR, even split across two chunks; comment
 * lines (`:`) are skipped; several `data:` lines are joined with LF.
 */
export class SseParser {
  private buffer = '';
  private eventName = '';
  private dataLines: string[] = [];
  private lastId: string | null = null;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const char = this.buffer[i];
      if (char !== '\n' && char !== '\r') {
        continue;
      }
      if (char === '\r' && i === this.buffer.length - 1) {
        // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
        break;
      }
      this.line(this.buffer.slice(start, i), messages);
      if (char === '\r' && this.buffer[i + 1] === '\n') {
        i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return messages;
  }

  /**
   * The stream ended: a last line cut short by the end of the stream is complete if it ended
   * in CR; an event without its closing blank line is incomplete and dropped, as in browsers.
   */
  end(): SseMessage[] {
    const messages: SseMessage[] = [];
    if (this.buffer.endsWith('\r')) {
      this.line(this.buffer.slice(0, -1), messages);
    }
    this.buffer = '';
    this.eventName = '';
    this.dataLines = [];
    return messages;
  }

  private line(line: string, messages: SseMessage[]): void {
    if (line === '') {
      this.dispatch(messages);
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'event':
        this.eventName = value;
        break;
      case 'data':
        this.dataLines.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastId = value;
        }
        break;
      default:
        // `retry` and unknown fields: nothing to do for a fetch-based reader.
        break;
    }
  }

  private dispatch(messages: SseMessage[]): void {
    if (this.dataLines.length > 0) {
      messages.push({ event: this.eventName || 'message', data: this.dataLines.join('\n'), id: this.lastId });
    }
    this.eventName = '';
    this.dataLines = [];
  }
}
