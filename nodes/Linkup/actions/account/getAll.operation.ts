// Account → Get Many: lists LinkedIn accounts (docs/linkupapi-v2.md).
import { getAccounts, getLinkupClient } from '../../transport';
import { forOperation, readLimit, returnAllOrLimit, type LinkupOperation } from '../common';

export const description = forOperation('account', 'getAll', returnAllOrLimit);

/** GET /v2/accounts, paging with `limit` (500 at most) and `offset`. Free. */
export const execute: LinkupOperation = async function (this, itemIndex) {
	const limit = readLimit.call(this, itemIndex);
	const client = await getLinkupClient.call(this);
	return await getAccounts(client, limit);
};
