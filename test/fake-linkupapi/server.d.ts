// Types for the plain-JavaScript fake LinkupAPI, so TypeScript tests can drive it.
export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: any;
	headers: Record<string, string | string[] | undefined>;
	time: number;
}

export interface Fault {
	route: RegExp | string;
	method?: string;
	times?: number;
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
	destroy?: boolean;
	/** Lets the call succeed and changes its JSON answer before it is sent. */
	edit?: (answer: Json) => void;
}

export type DeliveryVariant =
	| 'valid'
	| 'badSignature'
	| 'wrongSecret'
	| 'staleTimestamp'
	| 'futureTimestamp'
	| 'missingHeaders'
	| 'missingSignature'
	| 'missingTimestamp'
	| 'modifiedBody'
	| 'reserialized'
	| 'badPrefix'
	| 'unsigned';

export interface Delivery {
	webhookId: string;
	status: number;
	body: string;
}

export type Json = Record<string, any>;

export class FakeLinkupApi {
	constructor(options?: {
		apiKey?: string;
		accounts?: number;
		credits?: number;
		requireHttps?: boolean;
		now?: () => number;
		keepaliveMs?: number;
		newestFirst?: boolean;
	});
	/** The fake's clock in epoch ms; replace it to pin the fake's notion of now. */
	now: () => number;
	apiKey: string;
	credits: number;
	requireHttps: boolean;
	port: number;
	baseUrl: string;
	requests: RecordedRequest[];
	accounts: Map<string, Json>;
	webhooks: Map<string, Json>;
	events: Map<string, Json[]>;
	deliveries: Delivery[];
	start(port?: number): Promise<string>;
	stop(): Promise<void>;
	addAccounts(count: number, overrides?: Json): Json[];
	accountList(): Json[];
	webhookList(): Json[];
	deleteWebhookBehindBack(webhookId: string): void;
	monitoredAccounts(): string[];
	failNext(fault: Fault): void;
	clearFaults(): void;
	/** The next matching calls really happen, then their answer is lost: dropped, or `status` sent instead. */
	loseAnswerNext(fault: { route: RegExp | string; method?: string; times?: number; status?: number; body?: unknown; headers?: Record<string, string> }): void;
	/**
	 * Holds the next matching call and carries it out `afterMs` after it arrived, or at `performNow()`;
	 * the answer goes to a client still waiting, or nowhere. `performed` resolves once it was carried out.
	 */
	performLateNext(fault: { route: RegExp | string; method?: string; afterMs: number }): {
		performNow: () => void;
		performed: Promise<void>;
	};
	requestsTo(method?: string, path?: RegExp | string): RecordedRequest[];
	sampleEvent(accountId: string, type?: string, extra?: Json): Json;
	enqueueEvent(webhookId: string, wrapper: Json, createdAt?: Date): Json;
	emit(accountId: string, type?: string, extra?: Json): Promise<Array<Json | Delivery>>;
	deliver(
		webhookId: string,
		wrapper: Json,
		options?: { variant?: DeliveryVariant; rawBody?: string; url?: string; contentType?: string },
	): Promise<Delivery>;
	/** The headers and body `deliver` would POST for this variant, without posting them. */
	signedRequest(
		webhookId: string,
		wrapper: Json,
		options?: { variant?: DeliveryVariant; rawBody?: string; contentType?: string },
	): { headers: Record<string, string>; body: string };
	/** Interval of the `: keepalive` comments on open event streams. */
	keepaliveMs: number;
	/** Whether /events pages come newest first. */
	newestFirst: boolean;
	/** Event streams opened since the start. */
	streamsOpened: number;
	openStreams(webhookId?: string): number;
	/** Cuts the open event streams (of one webhook, or all); returns how many. */
	dropStreams(webhookId?: string): number;
	/** Keeps the open event streams open but silent; returns how many. */
	muteStreams(): number;
}

export function signPayload(secret: string, timestamp: number | string, rawBody: string | Buffer): string;
export const KNOWN_EVENT_FILTERS: string[];
export const MONITORING_CREDITS_PER_DAY: number;
