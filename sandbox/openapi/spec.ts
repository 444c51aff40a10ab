import specJson from './apiframe-v2-seedance.openapi.json';

export interface OpenApiDocument {
	openapi: string;
	paths: Record<string, Record<string, unknown>>;
	components: { schemas: Record<string, unknown>; parameters?: Record<string, unknown> };
	[key: string]: unknown;
}

/** The reference contract: a copy of Apiframe's published OpenAPI, narrowed to Seedance. */
export const apiframeOpenApi = specJson as unknown as OpenApiDocument;

/** Model ids of the GenerateVideoRequest oneOf branches, in file order. */
export function seedanceModelIdsInSpec(doc: OpenApiDocument = apiframeOpenApi): string[] {
	const request = doc.components.schemas.GenerateVideoRequest as { oneOf: Array<{ properties: { model: { enum: string[] } } }> };
	return request.oneOf.flatMap((branch) => branch.properties.model.enum);
}
