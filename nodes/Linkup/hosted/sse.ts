// Turns the bytes of a server-sent events stream into frames, chunk by chunk, as the HTML
// standard's event-stream format defines them (the format LinkupAPI's stream uses).

export interface SseFrame {
	/** The `event:` field, `message` when the frame has none. */
	event: string;
	/** The `data:` lines joined with line feeds. */
	data: string;
}

/**
 * Longest line, and longest frame (its `data:` lines together), in characters. A LinkedIn event is
 * a few KB: a stream passing this is broken or hostile, and buffering it would grow n8n unbounded.
 */
export const SSE_LIMIT_CHARS = 1024 * 1024;

/** The stream sent a line or a frame longer than SSE_LIMIT_CHARS; the parser is unusable after it. */
export class SseLimitError extends Error {
	constructor(what: 'line' | 'frame', receivedChars: number) {
		const unended = what === 'line' ? 'without a line break' : 'of data: lines without a blank line';
		super(
			`it sent a ${what} longer than ${SSE_LIMIT_CHARS.toLocaleString('en-US')} characters ` +
				`(${receivedChars.toLocaleString('en-US')} received ${unended})`,
		);
	}
}

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * Incremental parser: feed it chunks as they arrive, in any split (inside a line, a CRLF pair or a
 * multi-byte character, empty chunks included), and it returns the frames completed so far.
 * Comments (`: keepalive`) and the `id:` and `retry:` fields are read and ignored; a frame without
 * `data:` lines is dropped. Each chunk is searched once, so the cost is linear in bytes; a line or
 * frame over SSE_LIMIT_CHARS throws SseLimitError.
 */
export class SseParser {
	private readonly decoder = new TextDecoder();

	/** The start of the line under way, in the pieces received so far (joined once it ends). */
	private partialLine: string[] = [];

	private partialLineChars = 0;

	/** The previous text ended with CR: a LF starting the next one belongs to the same line end. */
	private afterCarriageReturn = false;

	private started = false;

	private eventType = '';

	private dataLines: string[] = [];

	private dataChars = 0;

	private lifeSigns = 0;

	/**
	 * Comment lines and frame ends (blank lines) read so far: what shows the server is alive and
	 * speaking the format. Bytes alone do not: an endless line is bytes too.
	 */
	get signsOfLife(): number {
		return this.lifeSigns;
	}

	push(chunk: Uint8Array | string): SseFrame[] {
		let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
		if (text.length === 0) return []; // an empty chunk must not forget a CR that ended the last one
		if (this.afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
		if (!this.started) {
			this.started = true;
			if (text.startsWith('\uFEFF')) text = text.slice(1);
		}
		const frames: SseFrame[] = [];
		let lineStart = 0;
		LINE_BREAK.lastIndex = 0;
		for (let match = LINE_BREAK.exec(text); match; match = LINE_BREAK.exec(text)) {
			const frame = this.readLine(this.completeLine(text.slice(lineStart, match.index)));
			if (frame) frames.push(frame);
			lineStart = LINE_BREAK.lastIndex;
		}
		this.afterCarriageReturn = text.endsWith('\r');
		if (lineStart < text.length) this.keepLineStart(text.slice(lineStart));
		return frames;
	}

	/** Keeps the start of a line that has not ended yet. */
	private keepLineStart(piece: string): void {
		this.partialLineChars += piece.length;
		if (this.partialLineChars > SSE_LIMIT_CHARS) throw new SseLimitError('line', this.partialLineChars);
		this.partialLine.push(piece);
	}

	/** The whole line ending with `lastPiece`. */
	private completeLine(lastPiece: string): string {
		if (this.partialLine.length === 0) {
			if (lastPiece.length > SSE_LIMIT_CHARS) throw new SseLimitError('line', lastPiece.length);
			return lastPiece;
		}
		this.keepLineStart(lastPiece);
		const line = this.partialLine.join('');
		this.partialLine = [];
		this.partialLineChars = 0;
		return line;
	}

	private readLine(line: string): SseFrame | undefined {
		if (line === '') return this.dispatch();
		if (line.startsWith(':')) {
			this.lifeSigns++;
			return undefined;
		}
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'event') this.eventType = value;
		else if (field === 'data') this.addData(value);
		return undefined;
	}

	private addData(value: string): void {
		this.dataChars += this.dataLines.length > 0 ? value.length + 1 : value.length; // as joined
		if (this.dataChars > SSE_LIMIT_CHARS) throw new SseLimitError('frame', this.dataChars);
		this.dataLines.push(value);
	}

	private dispatch(): SseFrame | undefined {
		this.lifeSigns++;
		const frame =
			this.dataLines.length > 0
				? { event: this.eventType || 'message', data: this.dataLines.join('\n') }
				: undefined;
		this.eventType = '';
		this.dataLines = [];
		this.dataChars = 0;
		return frame;
	}
}
