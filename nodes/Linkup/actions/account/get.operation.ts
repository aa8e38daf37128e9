// Account → Get: reads one LinkedIn account (docs/linkupapi-v2.md).
import { accountIdLocator } from '../../shared/descriptions';
import { forOperation, getAccountId, requestObject, type LinkupOperation } from '../common';

export const description = forOperation('account', 'get', [accountIdLocator]);

/** GET /v2/accounts/{id}: status, platform and connection health. Free. */
export const execute: LinkupOperation = async function (this, itemIndex) {
	const accountId = getAccountId.call(this, itemIndex);
	return await requestObject.call(this, {
		method: 'GET',
		path: `/v2/accounts/${encodeURIComponent(accountId)}`,
	});
};
