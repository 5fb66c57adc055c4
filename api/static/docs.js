"use strict";
// Swagger UI from local files (no CDN: the tool runs offline); kept out of the HTML so the CSP allows no inline script.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
