export { findRedocBundle, swaggerUiFolder, SWAGGER_UI_FILES, VENDORED_REDOC, type AssetFolder, type RedocBundle } from './assets';
export { DEFAULT_DOCS_CSP, docsRoutes, openApiRoute, type DocsOptions } from './routes';
