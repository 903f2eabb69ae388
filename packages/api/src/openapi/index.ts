export { buildOpenApiDocument, type OpenApiDocument, type OpenApiOptions } from './document';
export { OpenApiError } from './errors';
export { toPathTemplates, type PathConverter, type PathTemplate, type TemplateParam } from './path-template';
export { BINARY_SCHEMA, isUploadFile } from './schema-override';
export { httpValidationErrorSchema, validationErrorSchema } from './validation-error';
