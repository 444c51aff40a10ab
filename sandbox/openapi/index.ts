export { apiframeOpenApi, seedanceModelIdsInSpec, type OpenApiDocument } from './spec';
export {
	DEFAULT_FORMATS,
	SUPPORTED_KEYWORDS,
	errorsToDetails,
	evaluateSchema,
	validateAgainstComponent,
	validateGenerateVideoRequest,
	type EvaluateOptions,
	type EvaluationResult,
	type FormatChecker,
	type JsonSchema,
	type SchemaError,
} from './evaluator';
