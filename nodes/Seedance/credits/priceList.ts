import { toNodeError } from '../base/errors';
import type { CatalogueEntry } from '../schemas/catalogue';
import { fetchVideoModelCatalogue } from '../transport/apiframe';
import { isRefusedRedirect, type ApiContext } from '../transport/index';

/** Apiframe's catalogue as one execution read it: its entries, or why it could not be read. */
export type PriceList =
	| { kind: 'read'; entries: ReadonlyMap<string, CatalogueEntry> }
	| { kind: 'unavailable'; reason: string };

/**
 * Reads `GET /v2/models?modality=video` once for the execution. A failure is not the run's failure:
 * the estimates say the catalogue could not be read, and the checks that need them follow their
 * documented rule. A cancelled execution still stops here.
 */
export async function readPriceList(this: ApiContext, signal?: AbortSignal): Promise<PriceList> {
	try {
		const catalogue = await fetchVideoModelCatalogue.call(this, signal);
		return { kind: 'read', entries: new Map(catalogue.models.map((entry) => [entry.id, entry])) };
	} catch (error) {
		if (signal?.aborted || isRefusedRedirect(error)) throw toNodeError(this.getNode(), error);
		return { kind: 'unavailable', reason: `Apiframe's model catalogue could not be read: ${(error as Error).message}` };
	}
}
