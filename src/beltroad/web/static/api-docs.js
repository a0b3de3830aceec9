// The API reference page: Swagger UI from the vendored bundle, reading this server's own schema,
// so the page works with the network unplugged and under the same content security policy as
// every other page (no inline script).
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    tryItOutEnabled: false,
    displayRequestDuration: true,
  });
});
