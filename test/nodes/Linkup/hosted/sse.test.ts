// SseParser: server-sent event frames from bytes, chunk by chunk, within its size limits.
import { SseLimitError, SseParser, SSE_LIMIT_CHARS, type SseFrame } from '../../../../nodes/Linkup/hosted/sse';

/** Feeds `chunks` one after the other and returns every frame completed. */
function parse(...chunks: Array<string | Uint8Array>): SseFrame[] {
	const parser = new SseParser();
	return chunks.flatMap((chunk) => parser.push(chunk));
}

describe('SseParser', () => {
	it('reads the frames LinkupAPI sends: connected, keepalive comment, webhook', () => {
		const text =
			'event: connected\ndata: {"webhook_id":"w1","account_id":"a1"}\n\n: keepalive\n\nevent: webhook\ndata: {"event":{"type":"message"}}\n\n';
		expect(parse(text)).toEqual([
			{ event: 'connected', data: '{"webhook_id":"w1","account_id":"a1"}' },
			{ event: 'webhook', data: '{"event":{"type":"message"}}' },
		]);
	});

	it('joins multi-line data with line feeds and defaults the event name to message', () => {
		expect(parse('data: {"a":\ndata:1}\n\n')).toEqual([{ event: 'message', data: '{"a":\n1}' }]);
	});

	it('accepts CRLF and lone CR line ends, also when a CRLF pair is split across chunks', () => {
		expect(parse('event: webhook\r\ndata: x\r\n\r\n')).toEqual([{ event: 'webhook', data: 'x' }]);
		expect(parse('event: webhook\rdata: y\r\r')).toEqual([{ event: 'webhook', data: 'y' }]);
		expect(parse('data: z\r', '\n\r', '\n')).toEqual([{ event: 'message', data: 'z' }]);
		expect(parse('data: a\r', '\ndata: b\r\n\r\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
	});

	it('completes a frame split anywhere across chunks, inside a line or a UTF-8 character', () => {
		const bytes = new TextEncoder().encode('event: webhook\ndata: {"text":"héllo ✓"}\n\n');
		const frames = parse(bytes.slice(0, 3), bytes.slice(3, 27), bytes.slice(27, 29), bytes.slice(29));
		expect(frames).toEqual([{ event: 'webhook', data: '{"text":"héllo ✓"}' }]);
		expect(parse('da', 'ta: 1', '\n', '\n')).toEqual([{ event: 'message', data: '1' }]);
	});

	it('ignores comments, id and retry fields and unknown fields; drops frames without data', () => {
		expect(parse(': hello\nid: 7\nretry: 100\nfoo: bar\nevent: webhook\n\n: keepalive\n\n')).toEqual([]);
	});

	it('keeps data after the first colon and removes one leading space only', () => {
		expect(parse('data:  two spaces: kept\n\ndata:none\n\n')).toEqual([
			{ event: 'message', data: ' two spaces: kept' },
			{ event: 'message', data: 'none' },
		]);
	});

	it('does not emit an unfinished frame and strips a leading byte order mark', () => {
		const parser = new SseParser();
		expect(parser.push('\uFEFFevent: webhook\ndata: 1\n')).toEqual([]);
		expect(parser.push('\n')).toEqual([{ event: 'webhook', data: '1' }]);
	});
});

describe('SseParser: line ends split across chunks', () => {
	it('keeps a CR line end across empty chunks, so the LF after it ends no second line', () => {
		expect(parse('data: a\r', '', '\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
		expect(parse('event: webhook\r', new Uint8Array(0), '\ndata: x\n\n')).toEqual([{ event: 'webhook', data: 'x' }]);
		// A chunk holding only the first byte of a character decodes to no text at all.
		const bytes = new TextEncoder().encode('é\n\n');
		expect(parse('data: a\r', '', '\ndata: ', bytes.slice(0, 1), bytes.slice(1))).toEqual([
			{ event: 'message', data: 'a\né' },
		]);
	});

	it('gives the same frames for every split of the text into three chunks, with empty chunks between', () => {
		const text = 'event: webhook\r\ndata: a\r\ndata: b\r\r\n: keepalive\r\rdata: c\n\r\nevent: connected\rdata: d\r\n\n';
		const whole = parse(text);
		expect(whole).toEqual([
			{ event: 'webhook', data: 'a\nb' },
			{ event: 'message', data: 'c' },
			{ event: 'connected', data: 'd' },
		]);
		for (let i = 0; i <= text.length; i++) {
			for (let j = i; j <= text.length; j++) {
				const [head, middle, tail] = [text.slice(0, i), text.slice(i, j), text.slice(j)];
				expect([i, j, parse(head, '', middle, '', '', tail)]).toEqual([i, j, whole]);
			}
		}
	});
});

describe('SseParser: bounds', () => {
	const endlessPiece = 'x'.repeat(64 * 1024);

	it('refuses a line longer than the limit, whether it comes in pieces or in one chunk', () => {
		const parser = new SseParser();
		expect(() => {
			for (let sent = 0; sent <= SSE_LIMIT_CHARS; sent += endlessPiece.length) parser.push(endlessPiece);
		}).toThrow(new SseLimitError('line', SSE_LIMIT_CHARS + endlessPiece.length));
		expect(() => parse(`data: ${'y'.repeat(SSE_LIMIT_CHARS)}\n\n`)).toThrow(SseLimitError);
		expect(() => parse(`data: ${'y'.repeat(SSE_LIMIT_CHARS)}`)).toThrow(/a line longer than 1,048,576 characters/);
	});

	it('accepts a line and a frame of exactly the limit', () => {
		const value = 'z'.repeat(SSE_LIMIT_CHARS - 'data:'.length);
		expect(parse(`data:${value}\n\n`)).toEqual([{ event: 'message', data: value }]);
		const data = 'z'.repeat(SSE_LIMIT_CHARS).replace(/(.{999})./g, '$1\n');
		const lines = data.split('\n').map((line) => `data:${line}\n`);
		expect(parse(...lines, '\n')).toEqual([{ event: 'message', data }]);
	});

	it('refuses a frame whose data lines together pass the limit, however short each line is', () => {
		const parser = new SseParser();
		const lines = 'data: 0123456789\n'.repeat(4096);
		expect(() => {
			for (let pushed = 0; pushed < 100; pushed++) parser.push(lines);
		}).toThrow(/a frame longer than 1,048,576 characters \([\d,]+ received of data: lines without a blank line\)/);
		expect(() => parse('data:\n'.repeat(SSE_LIMIT_CHARS + 2))).toThrow(SseLimitError);
	});

	it('counts comments and frame ends as signs of life, not the bytes of an unfinished line or frame', () => {
		const parser = new SseParser();
		parser.push(': keepalive\n');
		expect(parser.signsOfLife).toBe(1);
		parser.push('\n');
		expect(parser.signsOfLife).toBe(2);
		parser.push('data: 1\ndata: 2\nevent: webhook\n');
		parser.push(endlessPiece);
		expect(parser.signsOfLife).toBe(2);
		expect(parser.push('\n\n')).toEqual([{ event: 'webhook', data: '1\n2' }]);
		expect(parser.signsOfLife).toBe(3);
	});
});
