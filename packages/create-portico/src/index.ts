export { parseCliArgs, USAGE, type CliOptions } from './args';
export { porticoDependencies, tarballName } from './dependencies';
export { CreateError } from './errors';
export { main, porticoVersion, type CreateIo } from './main';
export { packageName, projectManifest, type ProjectManifest } from './manifest';
export { checkTarget, scaffold, type ScaffoldOptions } from './scaffold';
export { PORTICO_DEPENDENCIES, porticoClosure, TEMPLATES, type PorticoPackage, type Template } from './templates';
export { LIBRARY_VERSIONS, NODE_ENGINES, TOOL_VERSIONS, type Library } from './versions';
