// Turns the bytes of a server-sent events stream into frames, chunk by chunk, as the HTML
// standard's event-stream format defines them (the format LinkupAPI's stream uses).

export interface SseFrame {
	/** The `event:` field, `message` when the frame has none. */
	event: string;
	/** The `data:` lines joined with line feeds. */
	data: string;
}

/**
 * Incremental parser: feed it chunks as they arrive, in any split (inside a line, a CRLF pair or a
 * multi-byte character), and it returns the frames completed so far. Comments (`: keepalive`) and
 * the `id:` and `retry:` fields are read and ignored; a frame without `data:` lines is dropped.
 */
export class SseParser {
	private readonly decoder = new TextDecoder();

	private buffer = '';

	/** The previous chunk ended with CR: a LF starting the next one belongs to the same line end. */
	private afterCarriageReturn = false;

	private started = false;

	private eventType = '';

	private dataLines: string[] = [];

	push(chunk: Uint8Array | string): SseFrame[] {
		let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
		if (this.afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
		this.afterCarriageReturn = false;
		if (!this.started && text.length > 0) {
			this.started = true;
			if (text.startsWith('\uFEFF')) text = text.slice(1);
		}
		this.buffer += text;
		const frames: SseFrame[] = [];
		for (;;) {
			const end = this.buffer.search(/\r\n|\r|\n/);
			if (end < 0) break;
			const line = this.buffer.slice(0, end);
			const lineEnd = this.buffer.startsWith('\r\n', end) ? 2 : 1;
			if (lineEnd === 1 && this.buffer[end] === '\r' && end === this.buffer.length - 1) {
				this.afterCarriageReturn = true;
			}
			this.buffer = this.buffer.slice(end + lineEnd);
			const frame = this.readLine(line);
			if (frame) frames.push(frame);
		}
		return frames;
	}

	private readLine(line: string): SseFrame | undefined {
		if (line === '') return this.dispatch();
		if (line.startsWith(':')) return undefined;
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'event') this.eventType = value;
		else if (field === 'data') this.dataLines.push(value);
		return undefined;
	}

	private dispatch(): SseFrame | undefined {
		const frame =
			this.dataLines.length > 0
				? { event: this.eventType || 'message', data: this.dataLines.join('\n') }
				: undefined;
		this.eventType = '';
		this.dataLines = [];
		return frame;
	}
}
