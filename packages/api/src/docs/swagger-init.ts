/**
 * The script that starts Swagger UI, served as a file of its own so the page has no inline
 * script. It reads its settings from the page's `#swagger-ui-config` JSON block.
 */
import { createHash } from 'node:crypto';

/** Browser code, kept to ES5 so any browser Swagger UI supports runs it. */
export const SWAGGER_INIT_SCRIPT = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('swagger-ui-config').textContent);
  var initOAuth = config.initOAuth;
  delete config.initOAuth;
  // The redirect page must be an absolute URL for the OAuth2 provider.
  if (typeof config.oauth2RedirectUrl === 'string' && config.oauth2RedirectUrl.charAt(0) === '/') {
    config.oauth2RedirectUrl = window.location.origin + config.oauth2RedirectUrl;
  }
  config.dom_id = '#swagger-ui';
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  var ui = SwaggerUIBundle(config);
  if (initOAuth) ui.initOAuth(initOAuth);
  window.ui = ui;
})();
`;

/** A short content hash: the script's URL changes when it does, so it can be cached forever. */
export const SWAGGER_INIT_HASH = createHash('sha256').update(SWAGGER_INIT_SCRIPT).digest('hex').slice(0, 12);

/** Swagger UI's settings unless the app overrides them (FastAPI's defaults, and no online validator). */
export const SWAGGER_UI_DEFAULTS: Readonly<Record<string, unknown>> = {
  layout: 'BaseLayout',
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  // The default sends the document to validator.swagger.io: offline docs must not phone out.
  validatorUrl: null,
};
