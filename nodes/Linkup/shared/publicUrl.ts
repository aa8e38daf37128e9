const LOOPBACK_HOSTS = new Set(['localhost', '0.0.0.0', '[::1]', '[::]']);

function isLoopback(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why LinkupAPI could not deliver to `url`, as the end of a sentence starting with the URL, or
 * undefined when it is a public HTTPS address. LinkupAPI posts events from the internet, so it needs
 * https and a host other than this machine.
 */
export function nonPublicUrlReason(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'is not a valid URL';
	}
	const host = parsed.hostname.toLowerCase();
	if (isLoopback(host)) return `points at this machine (${host}), which LinkupAPI cannot reach`;
	if (parsed.protocol !== 'https:') return 'is not an https:// address';
	return undefined;
}

/** A whole sentence for a URL the user typed, saying what to enter instead. */
export function publicHttpsUrlProblem(url: string): string | undefined {
	const reason = nonPublicUrlReason(url);
	if (!reason) return undefined;
	return `"${url}" ${reason}. LinkupAPI delivers events only to a public HTTPS URL such as https://example.com/linkup-events (for example through a reverse proxy or a tunnel)`;
}
