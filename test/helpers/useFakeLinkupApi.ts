// A fresh fake LinkupAPI for each test of a file.
import { FakeLinkupApi } from '../fake-linkupapi/server';

/** Starts a fresh fake LinkupAPI before each test and stops it after; read it with the returned getter. */
export function useFakeLinkupApi(options?: ConstructorParameters<typeof FakeLinkupApi>[0]) {
	let fake: FakeLinkupApi;
	beforeEach(async () => {
		fake = new FakeLinkupApi(options);
		await fake.start();
	});
	afterEach(async () => {
		await fake.stop();
	});
	return () => fake;
}
