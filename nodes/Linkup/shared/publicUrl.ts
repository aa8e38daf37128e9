// Decides whether LinkupAPI, posting from the internet, could ever reach a webhook URL.

/** IPv4 blocks no internet host can reach, as [first address, prefix length, what it is]. */
const IPV4_BLOCKS: Array<[string, number, string]> = [
	['0.0.0.0', 8, 'this machine'], // unspecified: connecting to it reaches this machine
	['10.0.0.0', 8, 'a private network address'],
	['100.64.0.0', 10, 'a carrier-grade NAT address'],
	['127.0.0.0', 8, 'this machine'],
	['169.254.0.0', 16, 'a link-local address'],
	['172.16.0.0', 12, 'a private network address'],
	['192.0.0.0', 24, 'a reserved address'],
	['192.0.2.0', 24, 'a documentation address'],
	['192.168.0.0', 16, 'a private network address'],
	['198.18.0.0', 15, 'a benchmarking address'],
	['198.51.100.0', 24, 'a documentation address'],
	['203.0.113.0', 24, 'a documentation address'],
	['224.0.0.0', 4, 'a multicast address'],
	['240.0.0.0', 4, 'a reserved address'],
];

/** Names that only resolve inside a local network. */
const LOCAL_SUFFIXES = ['local', 'localdomain', 'internal', 'lan', 'home.arpa', 'home', 'corp'];
/** Names reserved never to resolve in public DNS (RFC 2606, 6761; `.onion` is Tor's, RFC 7686). */
const RESERVED_SUFFIXES = ['example', 'test', 'invalid', 'onion'];

function ipv4Number(host: string): number | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
	return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}

function ipv4Kind(address: number): string | undefined {
	for (const [first, prefix, kind] of IPV4_BLOCKS) {
		const size = 2 ** (32 - prefix);
		const start = ipv4Number(first)!;
		if (address >= start && address < start + size) return kind;
	}
	return undefined;
}

/** The eight 16-bit groups of an IPv6 address in the form the URL parser leaves (hex, `::` once). */
function ipv6Groups(text: string): number[] | undefined {
	const [head, tail] = text.split('::');
	const read = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
	const front = read(head);
	const back = read(tail);
	const groups = tail === undefined ? front : [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
	return groups.length === 8 && groups.every((group) => Number.isInteger(group)) ? groups : undefined;
}

function ipv6Kind(groups: number[]): string | undefined {
	const zerosBefore = (index: number) => groups.slice(0, index).every((group) => group === 0);
	const embeddedIpv4 = groups[6] * 65536 + groups[7];
	if (zerosBefore(8)) return 'this machine'; // unspecified, like 0.0.0.0
	if (zerosBefore(7) && groups[7] === 1) return 'this machine';
	if (zerosBefore(5) && groups[5] === 0xffff) return 'an IPv4-mapped address';
	if (zerosBefore(4) && groups[4] === 0xffff && groups[5] === 0) return 'an IPv4-translated address';
	if (zerosBefore(6)) return 'a reserved address';
	// Well-known NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds; local-use NAT64
	// (64:ff9b:1::/48) works only inside the network that runs it.
	if (groups[0] === 0x64 && groups[1] === 0xff9b) {
		if (groups.slice(2, 6).every((g) => g === 0)) return ipv4Kind(embeddedIpv4);
		if (groups[2] === 1) return 'a local-use NAT64 address';
	}
	// 6to4 (2002::/16) reaches the IPv4 address in its second and third groups.
	if (groups[0] === 0x2002) return ipv4Kind(groups[1] * 65536 + groups[2]);
	if (groups[0] === 0x100 && groups.slice(1, 4).every((g) => g === 0)) return 'a discard-only address';
	if ((groups[0] & 0xffc0) === 0xfe80) return 'a link-local address';
	if ((groups[0] & 0xffc0) === 0xfec0) return 'a private network address';
	if ((groups[0] & 0xfe00) === 0xfc00) return 'a unique-local address';
	if ((groups[0] & 0xff00) === 0xff00) return 'a multicast address';
	if (groups[0] === 0x2001 && groups[1] === 0xdb8) return 'a documentation address';
	if (groups[0] === 0x3fff && groups[1] < 0x1000) return 'a documentation address';
	return undefined;
}

/** What kind of unreachable host `host` (as the URL parser normalized it) is, if it is one. */
function unreachableHostKind(host: string): string | undefined {
	if (host.startsWith('[')) {
		const groups = ipv6Groups(host.slice(1, -1));
		return groups ? ipv6Kind(groups) : 'an address that is not valid';
	}
	const name = host.replace(/\.+$/, '');
	const ipv4 = ipv4Number(name);
	if (ipv4 !== undefined) return ipv4Kind(ipv4);
	if (name === 'localhost' || name === 'localhost.localdomain' || name.endsWith('.localhost')) return 'this machine';
	if (!name.includes('.')) return 'a single-label name that only a local network resolves';
	const endsWithOneOf = (suffixes: string[]) => suffixes.some((suffix) => name.endsWith(`.${suffix}`));
	if (endsWithOneOf(LOCAL_SUFFIXES)) return 'a name reserved for local networks';
	if (endsWithOneOf(RESERVED_SUFFIXES)) return 'a reserved name that public DNS never resolves';
	return undefined;
}

/**
 * Why LinkupAPI could not deliver to `url`, as the end of a sentence starting with the URL, or
 * undefined when it is a public HTTPS address. The URL parser has already turned every spelling of
 * an IP address (decimal, hex, octal, short forms, bracketed IPv6, trailing dots) into one form.
 */
export function nonPublicUrlReason(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'is not a valid URL';
	}
	const host = parsed.hostname.toLowerCase();
	const kind = unreachableHostKind(host);
	if (kind) return `points at ${kind} (${host}), which LinkupAPI could never reach`;
	if (parsed.protocol !== 'https:') return 'is not an https:// address';
	if (parsed.username !== '' || parsed.password !== '') {
		return 'contains a user name or password, which LinkupAPI never sends, so it could never reach it';
	}
	return undefined;
}

/** A whole sentence for a URL the user typed, saying what to enter instead; never repeats a password. */
export function publicHttpsUrlProblem(url: string): string | undefined {
	const reason = nonPublicUrlReason(url);
	if (!reason) return undefined;
	const shown = url.replace(/\/\/[^/?#]*@/, '//***@');
	return `"${shown}" ${reason}. LinkupAPI delivers events only to a public HTTPS URL such as https://example.com/linkup-events (for example through a reverse proxy or a tunnel)`;
}
