const LOOPBACK_HOSTS = new Set(['localhost', '0.0.0.0', '[::1]', '[::]']);

function isLoopback(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Says in plain words why LinkupAPI could not deliver to `url`, or returns undefined when it is a
 * public HTTPS address. LinkupAPI posts events from the internet, so it needs https and a host
 * other than this machine.
 */
export function publicHttpsUrlProblem(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `"${url}" is not a valid URL. Enter a full address such as https://example.com/linkup-events`;
	}
	if (parsed.protocol !== 'https:') {
		return `"${url}" does not start with https://. LinkupAPI delivers events only to a public HTTPS URL`;
	}
	if (isLoopback(parsed.hostname)) {
		return `"${url}" points at this machine (${parsed.hostname}), which LinkupAPI cannot reach from the internet. Use a public HTTPS URL, for example through a reverse proxy or a tunnel`;
	}
	return undefined;
}
