import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('reads events with a name and JSON data', () => {
    const parser = new SseParser();
    const messages = parser.push('event: delta\ndata: {"text":"Hello"}\n\nevent: done\ndata: {"threadId":null}\n\n');

    expect(messages).toEqual([
      { event: 'delta', data: '{"text":"Hello"}', id: null },
      { event: 'done', data: '{"threadId":null}', id: null },
    ]);
  });

  it('keeps an event cut across chunks until its blank line arrives', () => {
    const parser = new SseParser();

    expect(parser.push('event: del')).toEqual([]);
    expect(parser.push('ta\ndata: {"te')).toEqual([]);
    expect(parser.push('xt":"a"}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'delta', data: '{"text":"a"}', id: null }]);
  });

  it('accepts CRLF and CR line endings, even a CRLF split between two chunks', () => {
    const parser = new SseParser();

    expect(parser.push('event: delta\r\ndata: one\r')).toEqual([]);
    expect(parser.push('\n\r\nevent: sources\rdata: two\r\r')).toEqual([{ event: 'delta', data: 'one', id: null }]);
    // The last CR may still be the start of a CRLF: the event is complete once that is known.
    expect(parser.end()).toEqual([{ event: 'sources', data: 'two', id: null }]);
  });

  it('joins several data lines with a newline and removes one leading space only', () => {
    const parser = new SseParser();

    expect(parser.push('data:first\ndata:  second\n\n')).toEqual([
      { event: 'message', data: 'first\n second', id: null },
    ]);
  });

  it('skips comments, unknown fields and events without data', () => {
    const parser = new SseParser();

    expect(parser.push(': keep-alive\n\nretry: 1000\nfoo: bar\nevent: empty\n\nid: 7\ndata: x\n\n')).toEqual([
      { event: 'message', data: 'x', id: '7' },
    ]);
  });

  it('drops an event the stream ended in the middle of', () => {
    const parser = new SseParser();
    parser.push('event: delta\ndata: {"text":"cut"}\n');

    expect(parser.end()).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
  });
});
