import { z } from 'zod';

/** One entry of GET /v2/models; Apiframe allows extra fields, and the cost fields are optional. */
export const catalogueEntrySchema = z
	.object({
		id: z.string(),
		label: z.string(),
		modality: z.string(),
		costMin: z.number().finite().nonnegative().optional(),
		costMax: z.number().finite().nonnegative().optional(),
		// A mode this reading does not know leaves the model unpriced rather than failing the catalogue.
		pricingMode: z.string().optional(),
	})
	.passthrough();
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;

export const modelCatalogueSchema = z.object({ models: z.array(catalogueEntrySchema) }).passthrough();
