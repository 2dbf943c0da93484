import Router from '@koa/router';
import asyncapi from '../../../generated/specs/asyncapi.json' with { type: 'json' };
import openapi from '../../../generated/specs/openapi.json' with { type: 'json' };
import openapi32 from '../../../generated/specs/openapi-3.2.json' with { type: 'json' };

/** The bundled contract documents: OpenAPI 3.1 and 3.2, AsyncAPI 3.0 (not operations of the API itself). */
export function specDocumentRoutes(): Router {
  const router = new Router();
  router.get('/openapi.json', (ctx) => {
    ctx.body = openapi;
  });
  router.get('/openapi-3.2.json', (ctx) => {
    ctx.body = openapi32;
  });
  router.get('/asyncapi.json', (ctx) => {
    ctx.body = asyncapi;
  });
  return router;
}
