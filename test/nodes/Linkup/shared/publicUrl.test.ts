// Which webhook URLs LinkupAPI cannot reach (not public HTTPS), and what the check says.
import { nonPublicUrlReason, publicHttpsUrlProblem } from '../../../../nodes/Linkup/shared/publicUrl';

describe('nonPublicUrlReason', () => {
	it.each([
		'https://n8n.example.com/webhook/abc/webhook',
		'https://127.example.com/webhook/abc/webhook',
		'https://n8n.example.com:8443/webhook/abc/webhook',
		'https://n8n.example.com./webhook',
		'https://8.8.8.8/webhook',
		'https://100.128.0.1/webhook',
		'https://172.32.0.1/webhook',
		'https://[2606:4700::1111]/webhook',
		'https://[64:ff9b::808:808]/webhook',
		'https://local.example.com/webhook',
		// Look-alikes of the reserved forms below that are public.
		'https://example.com/webhook',
		'https://test.io/webhook',
		'https://n8n.onion.example.com/webhook',
		'https://localhost.localdomain.example.com/webhook',
		'https://[2002:0808:0808::]/webhook',
		'https://[2002:808:808::1]/webhook',
		'https://[64:ff9b:2::808:808]/webhook',
		'https://[100:0:0:1::1]/webhook',
		'https://[3fff:1000::1]/webhook',
	])('accepts the public HTTPS URL %s', (url) => {
		expect(nonPublicUrlReason(url)).toBeUndefined();
	});

	const never = (kind: string, host: string) => `points at ${kind} (${host}), which LinkupAPI could never reach`;
	it.each([
		// Not usable at all.
		['http://n8n.example.com/webhook', 'is not an https:// address'],
		['http://10.0.0.5/webhook', never('a private network address', '10.0.0.5')],
		['not a url', 'is not a valid URL'],
		['https://user:pass@n8n.example.com/webhook', 'contains a user name or password, which LinkupAPI never sends, so it could never reach it'],
		['https://token@n8n.example.com/webhook', 'contains a user name or password, which LinkupAPI never sends, so it could never reach it'],
		// Private networks.
		['https://10.0.0.5/webhook', never('a private network address', '10.0.0.5')],
		['https://172.16.0.1/webhook', never('a private network address', '172.16.0.1')],
		['https://172.31.255.254/webhook', never('a private network address', '172.31.255.254')],
		['https://192.168.1.20/webhook', never('a private network address', '192.168.1.20')],
		// Carrier-grade NAT, link-local, the cloud metadata address.
		['https://100.64.0.1/webhook', never('a carrier-grade NAT address', '100.64.0.1')],
		['https://100.127.255.254/webhook', never('a carrier-grade NAT address', '100.127.255.254')],
		['https://169.254.169.254/latest/meta-data', never('a link-local address', '169.254.169.254')],
		// Loopback and unspecified, in every IPv4 spelling the URL parser accepts.
		['https://127.0.0.1/webhook', never('this machine', '127.0.0.1')],
		['https://127.1.2.3/webhook', never('this machine', '127.1.2.3')],
		['https://2130706433/webhook', never('this machine', '127.0.0.1')],
		['https://0x7f000001/webhook', never('this machine', '127.0.0.1')],
		['https://0x7f.0.0.1/webhook', never('this machine', '127.0.0.1')],
		['https://0177.0.0.1/webhook', never('this machine', '127.0.0.1')],
		['https://127.1/webhook', never('this machine', '127.0.0.1')],
		['https://10.1/webhook', never('a private network address', '10.0.0.1')],
		['https://167772165/webhook', never('a private network address', '10.0.0.5')],
		['https://127.0.0.1./webhook', never('this machine', '127.0.0.1')],
		['https://0.0.0.0/webhook', never('this machine', '0.0.0.0')],
		['https://0/webhook', never('this machine', '0.0.0.0')],
		['https://255.255.255.255/webhook', never('a reserved address', '255.255.255.255')],
		['https://224.0.0.1/webhook', never('a multicast address', '224.0.0.1')],
		// IPv6, bracketed, in full and short forms.
		['https://[::1]/webhook', never('this machine', '[::1]')],
		['https://[0:0:0:0:0:0:0:1]/webhook', never('this machine', '[::1]')],
		['https://[::]/webhook', never('this machine', '[::]')],
		['https://[::ffff:127.0.0.1]/webhook', never('an IPv4-mapped address', '[::ffff:7f00:1]')],
		['https://[::ffff:8.8.8.8]/webhook', never('an IPv4-mapped address', '[::ffff:808:808]')],
		['https://[0:0:0:0:0:ffff:a00:5]/webhook', never('an IPv4-mapped address', '[::ffff:a00:5]')],
		['https://[::127.0.0.1]/webhook', never('a reserved address', '[::7f00:1]')],
		['https://[fd00::1]/webhook', never('a unique-local address', '[fd00::1]')],
		['https://[FC00::1]/webhook', never('a unique-local address', '[fc00::1]')],
		['https://[fe80::1]/webhook', never('a link-local address', '[fe80::1]')],
		['https://[febf::1]/webhook', never('a link-local address', '[febf::1]')],
		['https://[ff02::1]/webhook', never('a multicast address', '[ff02::1]')],
		['https://[64:ff9b::a00:5]/webhook', never('a private network address', '[64:ff9b::a00:5]')],
		// Local-use NAT64 (64:ff9b:1::/48) only works inside the network that runs it, whatever it embeds.
		['https://[64:ff9b:1::a00:5]/webhook', never('a local-use NAT64 address', '[64:ff9b:1::a00:5]')],
		['https://[64:ff9b:1:ffff::808:808]/webhook', never('a local-use NAT64 address', '[64:ff9b:1:ffff::808:808]')],
		// IPv4-translated (::ffff:0:0:0/96), like IPv4-mapped, is never routed on the internet.
		['https://[::ffff:0:7f00:1]/webhook', never('an IPv4-translated address', '[::ffff:0:7f00:1]')],
		['https://[::ffff:0:8.8.8.8]/webhook', never('an IPv4-translated address', '[::ffff:0:808:808]')],
		// 6to4 (2002::/16) reaches the IPv4 address in its second and third groups, so the IPv4 rules apply.
		['https://[2002:7f00:1::]/webhook', never('this machine', '[2002:7f00:1::]')],
		['https://[2002:c0a8:101::]/webhook', never('a private network address', '[2002:c0a8:101::]')],
		['https://[2002:a9fe:a9fe::1]/webhook', never('a link-local address', '[2002:a9fe:a9fe::1]')],
		['https://[2002::]/webhook', never('this machine', '[2002::]')],
		// Discard-only (100::/64) and documentation (2001:db8::/32, 3fff::/20) blocks.
		['https://[100::1]/webhook', never('a discard-only address', '[100::1]')],
		['https://[100::ffff:ffff:ffff:ffff]/webhook', never('a discard-only address', '[100::ffff:ffff:ffff:ffff]')],
		['https://[2001:db8::1]/webhook', never('a documentation address', '[2001:db8::1]')],
		['https://[3fff::1]/webhook', never('a documentation address', '[3fff::1]')],
		['https://[3fff:fff::1]/webhook', never('a documentation address', '[3fff:fff::1]')],
		// Names that never resolve from the internet.
		['https://LOCALHOST/webhook', never('this machine', 'localhost')],
		['https://localhost./webhook', never('this machine', 'localhost.')],
		['https://n8n.localhost/webhook', never('this machine', 'n8n.localhost')],
		['https://intranet/webhook', never('a single-label name that only a local network resolves', 'intranet')],
		['https://intranet./webhook', never('a single-label name that only a local network resolves', 'intranet.')],
		['https://n8n.local/webhook', never('a name reserved for local networks', 'n8n.local')],
		['https://metadata.google.internal/webhook', never('a name reserved for local networks', 'metadata.google.internal')],
		['https://n8n.internal./webhook', never('a name reserved for local networks', 'n8n.internal.')],
		['https://n8n.lan/webhook', never('a name reserved for local networks', 'n8n.lan')],
		['https://n8n.home.arpa/webhook', never('a name reserved for local networks', 'n8n.home.arpa')],
		['https://localhost.localdomain/webhook', never('this machine', 'localhost.localdomain')],
		['https://LocalHost.LocalDomain./webhook', never('this machine', 'localhost.localdomain.')],
		['https://n8n.localdomain/webhook', never('a name reserved for local networks', 'n8n.localdomain')],
		// Reserved names (RFC 2606, 6761, 7686): public DNS never resolves them.
		['https://n8n.example/webhook', never('a reserved name that public DNS never resolves', 'n8n.example')],
		['https://www.example./webhook', never('a reserved name that public DNS never resolves', 'www.example.')],
		['https://n8n.test/webhook', never('a reserved name that public DNS never resolves', 'n8n.test')],
		['https://n8n.invalid/webhook', never('a reserved name that public DNS never resolves', 'n8n.invalid')],
		['https://expyuzz4wqqyqhjn.onion/webhook', never('a reserved name that public DNS never resolves', 'expyuzz4wqqyqhjn.onion')],
		['https://a.b.localhost/webhook', never('this machine', 'a.b.localhost')],
	])('refuses %s', (url, reason) => {
		expect(nonPublicUrlReason(url)).toBe(reason);
	});
});

describe('publicHttpsUrlProblem', () => {
	it('says what to enter instead', () => {
		expect(publicHttpsUrlProblem('http://example.com/x')).toBe(
			'"http://example.com/x" is not an https:// address. LinkupAPI delivers events only to a public HTTPS URL such as https://example.com/linkup-events (for example through a reverse proxy or a tunnel)',
		);
		expect(publicHttpsUrlProblem('https://example.com/x')).toBeUndefined();
	});

	it('never repeats the password of a URL with credentials', () => {
		const problem = publicHttpsUrlProblem('https://admin:s3cret@example.com/x');
		expect(problem).toMatch(/^"https:\/\/\*\*\*@example\.com\/x" contains a user name or password/);
		expect(problem).not.toContain('s3cret');
	});
});
