// SseParser: server-sent event frames from bytes, chunk by chunk.
import { SseParser, type SseFrame } from '../../../../nodes/Linkup/hosted/sse';

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
