// Starts Swagger UI on the page's own OpenAPI document. A file of its own, not an inline
// script: the pages' Content-Security-Policy allows scripts from the origin only.
"use strict";
const root = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: new URL(root.dataset.openapiUrl, document.baseURI).href,
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
});
