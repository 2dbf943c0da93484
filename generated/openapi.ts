// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.

export interface paths {
    "/v1/pets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List pets
         * @description A page of the catalog, oldest first, optionally filtered by species and size; `total` counts every match.
         */
        get: operations["listPets"];
        put?: never;
        /**
         * Add a pet to the catalog
         * @description Answers `201` with the new pet and its URL in `Location`.
         */
        post: operations["createPet"];
        delete?: never;
        /**
         * The methods of /v1/pets
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsPets"];
        /**
         * The headers of listPets
         * @description `GET /v1/pets` without its body: the same status and headers.
         */
        head: operations["headListPets"];
        patch?: never;
        trace?: never;
    };
    "/v1/pets/{petId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get a pet
         * @description One pet of the catalog by its id.
         */
        get: operations["getPet"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /v1/pets/{petId}
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsPetsByPetId"];
        /**
         * The headers of getPet
         * @description `GET /v1/pets/{petId}` without its body: the same status and headers.
         */
        head: operations["headGetPet"];
        /**
         * Change a pet's catalog entry
         * @description Changes only the fields sent (`name`, `breed`, `size`, `ageMonths`, `traits`, `description`); stock and price are changed with `PATCH /v1/inventory/{petId}`.
         */
        patch: operations["updatePet"];
        trace?: never;
    };
    "/v1/pets/recommendations/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream pet recommendations for a user
         * @description Streams `recommendation` events as each is ranked, highest score first, then one `complete`.
         *     See the AsyncAPI channel `recommendationsStream` for the full grammar.
         *
         *     ```
         *     retry: 3000
         *
         *     id: 0193a5d0-0000-7000-8000-000000000001.1
         *     event: recommendation
         *     data: {"petId":"0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90","name":"Whiskers","score":0.92,"reason":"Matches your preference for cats"}
         *
         *     id: 0193a5d0-0000-7000-8000-000000000001.complete
         *     event: complete
         *     data: {"total":1,"processingTime":3.2}
         *     ```
         */
        get: operations["streamRecommendations"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /v1/pets/recommendations/stream
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsPetsRecommendationsStream"];
        /**
         * The headers of streamRecommendations
         * @description `GET /v1/pets/recommendations/stream` without its body: the same status and headers.
         */
        head: operations["headStreamRecommendations"];
        patch?: never;
        trace?: never;
    };
    "/v1/inventory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stock and price of every pet
         * @description The stock and price of every pet; follow `GET /v1/inventory/stream` to learn of each change.
         */
        get: operations["listInventory"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /v1/inventory
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsInventory"];
        /**
         * The headers of listInventory
         * @description `GET /v1/inventory` without its body: the same status and headers.
         */
        head: operations["headListInventory"];
        patch?: never;
        trace?: never;
    };
    "/v1/inventory/{petId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /v1/inventory/{petId}
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsInventoryByPetId"];
        head?: never;
        /**
         * Set a pet's stock and/or price
         * @description Publishes `stock-change` and/or `price-change` on the inventory stream for each value that really changes.
         */
        patch: operations["updateInventory"];
        trace?: never;
    };
    "/v1/inventory/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream stock and price changes
         * @description An endless broadcast of `stock-change` and `price-change` events in commit order, each exactly once.
         *     See the AsyncAPI channel `inventoryStream` for the full grammar.
         *
         *     ```
         *     retry: 3000
         *
         *     id: 41
         *     event: stock-change
         *     data: {"petId":"0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90","oldStock":3,"newStock":2,"timestamp":"2026-11-24T10:15:30.123Z"}
         *
         *     : heartbeat
         *
         *     ```
         */
        get: operations["streamInventory"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /v1/inventory/stream
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsInventoryStream"];
        /**
         * The headers of streamInventory
         * @description `GET /v1/inventory/stream` without its body: the same status and headers.
         */
        head: operations["headStreamInventory"];
        patch?: never;
        trace?: never;
    };
    "/v1/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Order a pet
         * @description Takes the stock atomically (publishing `stock-change`) and starts fulfilment. The order is the caller's: `userId` must be the subject of the access token (`403` otherwise).
         */
        post: operations["createOrder"];
        delete?: never;
        /**
         * The methods of /v1/orders
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsOrders"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get an order
         * @description The order with its status history, as the order status stream replays it. Only its owner may read it; another user's order is answered `404`.
         */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /v1/orders/{orderId}
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsOrdersByOrderId"];
        /**
         * The headers of getOrder
         * @description `GET /v1/orders/{orderId}` without its body: the same status and headers.
         */
        head: operations["headGetOrder"];
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel an order before it ships
         * @description Returns the stock (publishing `stock-change`). An order that has shipped cannot be cancelled. Only its owner may cancel it; another user's order is answered `404`.
         */
        post: operations["cancelOrder"];
        delete?: never;
        /**
         * The methods of /v1/orders/{orderId}/cancel
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsOrdersByOrderIdCancel"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/orders/{orderId}/status/stream": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        /**
         * Stream an order's status
         * @description Replays the status history so far, follows live, and ends with `complete`. Intermediate statuses
         *     are unnamed frames. See the AsyncAPI channel `orderStatusStream` for the full grammar.
         *
         *     Only the order's owner may follow it: with `Authorization: Bearer <token>`, or (EventSource) with a
         *     single-use `?ticket=` from `POST /v1/stream-tickets`. The stream ends with `stream-error`
         *     `credential_expired` at the last event id when the access token (for a ticket: the token it was issued
         *     from) expires; reconnect with a fresh credential and `Last-Event-ID` to resume.
         *
         *     ```
         *     retry: 3000
         *
         *     id: 1
         *     data: {"status":"payment_processing","timestamp":"2026-11-24T10:15:30.123Z"}
         *
         *     id: 4
         *     event: complete
         *     data: {"status":"shipped","trackingNumber":"TRK7K2M9Q4X1Z","timestamp":"2026-11-24T10:15:36.130Z"}
         *     ```
         */
        get: operations["streamOrderStatus"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /v1/orders/{orderId}/status/stream
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsOrdersByOrderIdStatusStream"];
        /**
         * The headers of streamOrderStatus
         * @description `GET /v1/orders/{orderId}/status/stream` without its body: the same status and headers.
         */
        head: operations["headStreamOrderStatus"];
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get a user
         * @description The user with the preferences and liked pets that recommendations are scored against. Only the user may read it; another user is answered `404`.
         */
        get: operations["getUser"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /v1/users/{userId}
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsUsersByUserId"];
        /**
         * The headers of getUser
         * @description `GET /v1/users/{userId}` without its body: the same status and headers.
         */
        head: operations["headGetUser"];
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Replace a user's preferences
         * @description Replaces every preference at once; a field left out is cleared. Only the user may change them.
         */
        put: operations["putPreferences"];
        post?: never;
        delete?: never;
        /**
         * The methods of /v1/users/{userId}/preferences
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsUsersByUserIdPreferences"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{userId}/likes": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Like a pet
         * @description Idempotent; liking a pet twice keeps one like. Only the user may like for themself.
         */
        post: operations["likePet"];
        delete?: never;
        /**
         * The methods of /v1/users/{userId}/likes
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsUsersByUserIdLikes"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stream-tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a stream ticket for EventSource
         * @description A browser's `EventSource` cannot send `Authorization`. Ask for a ticket with the access token, then open
         *     the order's status stream with it:
         *
         *     ```
         *     POST /v1/stream-tickets  {"orderId":"…"}   (Authorization: Bearer <token>)
         *     new EventSource(`/v1/orders/${orderId}/status/stream?ticket=${ticket}`)
         *     ```
         *
         *     A ticket is short-lived (`expiresIn`, 30 s by default), works once (on any instance), only for the
         *     status stream of the order it names, and only for the order's owner (another user's order is answered
         *     `404`). The server stores only its hash. Because it works once, an EventSource's automatic reconnect
         *     with the same URL is refused (`401`, so the EventSource closes): get a new ticket and open a new
         *     EventSource with `&lastEventId=` to resume.
         */
        post: operations["createStreamTicket"];
        delete?: never;
        /**
         * The methods of /v1/stream-tickets
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsStreamTickets"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dev/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a demo access token (dev mode only)
         * @description Signs an access token for an existing user, for trying the API and for the demo page. Only in dev
         *     mode: when no key is configured (`AUTH_JWT_SECRET`, `AUTH_JWKS_URL`) the server signs with a random
         *     key of its own, and this operation answers; with a key configured it answers `404` unless
         *     `AUTH_DEV_TOKENS=true` (which needs `AUTH_JWT_SECRET`, and is refused at start with
         *     `NODE_ENV=production`): anyone could act as any user. `scopes` asks for staff scopes
         *     (`catalog:write`, `inventory:write`); without it the token has none.
         */
        post: operations["createDevToken"];
        delete?: never;
        /**
         * The methods of /v1/dev/tokens
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsDevTokens"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chat/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask the pet advisor
         * @description Answers the last `user` message from the live catalog (which pets fit a family with kids, what a pet
         *     costs, what is in stock). With `"stream": true` the answer is streamed token by token as unnamed
         *     `chat.completion.chunk` frames, then `data: [DONE]` (not JSON); otherwise it comes as one JSON
         *     `ChatCompletion`. A request is validated before anything is sent. See the AsyncAPI channel
         *     `chatCompletionsStream` for the stream's grammar.
         *
         *     ```
         *     retry: 3000
         *
         *     id: 1
         *     data: {"id":"chatcmpl_0193a5d000007000800000000000001","object":"chat.completion.chunk","created":1795515330,"model":"PET_ADVISOR_1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finishReason":null}]}
         *
         *     id: 2
         *     data: {"id":"chatcmpl_0193a5d000007000800000000000001","object":"chat.completion.chunk","created":1795515330,"model":"PET_ADVISOR_1","choices":[{"index":0,"delta":{"content":"Biscuit"},"finishReason":null}]}
         *
         *     id: 14
         *     data: {"id":"chatcmpl_0193a5d000007000800000000000001","object":"chat.completion.chunk","created":1795515330,"model":"PET_ADVISOR_1","choices":[{"index":0,"delta":{},"finishReason":"stop"}]}
         *
         *     id: 15
         *     data: [DONE]
         *     ```
         */
        post: operations["createChatCompletion"];
        delete?: never;
        /**
         * The methods of /v1/chat/completions
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsChatCompletions"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description Answers `200` while the process runs.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /healthz
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsHealthz"];
        /**
         * The headers of getHealth
         * @description `GET /healthz` without its body: the same status and headers.
         */
        head: operations["headGetHealth"];
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description Answers `200` while the server takes requests, `503` while it starts or shuts down.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /readyz
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsReadyz"];
        /**
         * The headers of getReadiness
         * @description `GET /readyz` without its body: the same status and headers.
         */
        head: operations["headGetReadiness"];
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description The server's metrics in the Prometheus text exposition format: open streams per channel, frames and
         *     bytes written per channel and event, frames refused by validation, slow consumers dropped, resume
         *     outcomes, heartbeats, event lag, refused streams and rate-limited requests, plus Node process metrics.
         *     No token: it holds counts, no personal data. In production, set `METRICS_PORT` to serve it on a listener
         *     of its own (`METRICS_HOST`, default 127.0.0.1) that the public cannot reach; the API's port then answers
         *     `404` here.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /metrics
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsMetrics"];
        /**
         * The headers of getMetrics
         * @description `GET /metrics` without its body: the same status and headers.
         */
        head: operations["headGetMetrics"];
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document, bundled (OpenAPI 3.1)
         * @description `spec/openapi.yaml` with every shared schema inlined, as Apidog and generators import it.
         */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /openapi.json
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsOpenApi"];
        /**
         * The headers of getOpenApi
         * @description `GET /openapi.json` without its body: the same status and headers.
         */
        head: operations["headGetOpenApi"];
        patch?: never;
        trace?: never;
    };
    "/openapi-3.2.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document as OpenAPI 3.2
         * @description The same contract as OpenAPI 3.2, each stream's events as an `itemSchema`, for 3.2 tools.
         */
        get: operations["getOpenApi32"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /openapi-3.2.json
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsOpenApi32"];
        /**
         * The headers of getOpenApi32
         * @description `GET /openapi-3.2.json` without its body: the same status and headers.
         */
        head: operations["headGetOpenApi32"];
        patch?: never;
        trace?: never;
    };
    "/asyncapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The AsyncAPI 3.0 document of the streams
         * @description Every stream as a channel, with its events, their order, ids and resuming.
         */
        get: operations["getAsyncApi"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /asyncapi.json
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsAsyncApi"];
        /**
         * The headers of getAsyncApi
         * @description `GET /asyncapi.json` without its body: the same status and headers.
         */
        head: operations["headGetAsyncApi"];
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The docs site
         * @description `/docs` redirects to `/docs/`, so the pages' relative links resolve; `/docs/` is the REST reference, built by `npm run docs` (`404` until it is built).
         */
        get: operations["getDocs"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /docs
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsDocs"];
        /**
         * The headers of getDocs
         * @description `GET /docs` without its body: the same status and headers.
         */
        head: operations["headGetDocs"];
        patch?: never;
        trace?: never;
    };
    "/docs/{page}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One path segment naming a page or file. */
                page: components["parameters"]["SitePage"];
            };
            cookie?: never;
        };
        /**
         * A page or file of the docs site
         * @description `asyncapi` (the channel and event reference) and the files the pages load; `404` for anything else.
         */
        get: operations["getDocsPage"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /docs/{page}
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsDocsByPage"];
        /**
         * The headers of getDocsPage
         * @description `GET /docs/{page}` without its body: the same status and headers.
         */
        head: operations["headGetDocsPage"];
        patch?: never;
        trace?: never;
    };
    "/docs/console/{consolePage}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description One path segment naming a page of the live stream console, or a file it loads.
                 * @example inventory
                 */
                consolePage: components["parameters"]["ConsolePage"];
            };
            cookie?: never;
        };
        /**
         * A page or file of the docs' live stream console
         * @description The live console of each stream (`inventory`, `orders`, `recommendations`, also with `.html`), the picker (`index.html`) and the files they load; `404` for anything else.
         */
        get: operations["getDocsConsolePage"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /docs/console/{consolePage}
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsDocsConsoleByPage"];
        /**
         * The headers of getDocsConsolePage
         * @description `GET /docs/console/{consolePage}` without its body: the same status and headers.
         */
        head: operations["headGetDocsConsolePage"];
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The demo page
         * @description The demo page built by `npm run demo:build`; `404` until it is built.
         */
        get: operations["getDemoPage"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsRoot"];
        /**
         * The headers of getDemoPage
         * @description `GET /` without its body: the same status and headers.
         */
        head: operations["headGetDemoPage"];
        patch?: never;
        trace?: never;
    };
    "/demo/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One path segment naming a file. */
                file: components["parameters"]["SiteFile"];
            };
            cookie?: never;
        };
        /**
         * A file of the demo page
         * @description The bundle, styles and icon the demo page loads; `404` for anything else.
         */
        get: operations["getDemoFile"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of /demo/{file}
         * @description Answered only as a CORS preflight from an allowed origin (`CORS_ORIGINS`): `204` with the `Access-Control-*` headers. A preflight from another origin is refused `403`, a plain `OPTIONS` `405`; both keep `Allow`, which lists the methods of this path.
         */
        options: operations["optionsDemoByFile"];
        /**
         * The headers of getDemoFile
         * @description `GET /demo/{file}` without its body: the same status and headers.
         */
        head: operations["headGetDemoFile"];
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * ChatCompletion
         * @description The whole answer of the pet advisor, sent as JSON when the request has `stream` false or absent.
         * @example {
         *       "id": "chatcmpl_0193a5d000007000800000000000001",
         *       "object": "chat.completion",
         *       "created": 1795515330,
         *       "model": "PET_ADVISOR_TURBO",
         *       "choices": [
         *         {
         *           "index": 0,
         *           "message": {
         *             "role": "assistant",
         *             "content": "Biscuit the Beagle costs $399.00, and 2 are in stock."
         *           },
         *           "finishReason": "stop"
         *         }
         *       ]
         *     }
         */
        ChatCompletion: {
            id: components["schemas"]["ChatCompletionId"];
            /** @constant */
            object: "chat.completion";
            /** @description When the completion started, in Unix seconds. */
            created: number;
            model: components["schemas"]["ChatModel"];
            choices: {
                /** @constant */
                index: 0;
                /** ChatCompletionMessage */
                message: {
                    /** @constant */
                    role: "assistant";
                    content: string;
                };
                finishReason: components["schemas"]["ChatFinishReason"];
            }[];
        };
        /**
         * ChatCompletionChunk
         * @description One piece of a streamed answer, sent as an unnamed frame. The first chunk carries the role, each following one the next token in `delta.content`, and the last one an empty delta with the `finishReason`.
         * @example {
         *       "id": "chatcmpl_0193a5d000007000800000000000001",
         *       "object": "chat.completion.chunk",
         *       "created": 1795515330,
         *       "model": "PET_ADVISOR_1",
         *       "choices": [
         *         {
         *           "index": 0,
         *           "delta": {
         *             "content": " Biscuit"
         *           },
         *           "finishReason": null
         *         }
         *       ]
         *     }
         * @example {
         *       "id": "chatcmpl_0193a5d000007000800000000000001",
         *       "object": "chat.completion.chunk",
         *       "created": 1795515330,
         *       "model": "PET_ADVISOR_1",
         *       "choices": [
         *         {
         *           "index": 0,
         *           "delta": {},
         *           "finishReason": "stop"
         *         }
         *       ]
         *     }
         */
        ChatCompletionChunk: {
            id: components["schemas"]["ChatCompletionId"];
            /** @constant */
            object: "chat.completion.chunk";
            /** @description When the completion started, in Unix seconds. */
            created: number;
            model: components["schemas"]["ChatModel"];
            /** @description Exactly one choice (the advisor never answers with alternatives). */
            choices: {
                /** @constant */
                index: 0;
                /**
                 * ChatCompletionDelta
                 * @description What this chunk adds to the answer.
                 */
                delta: {
                    /** @constant */
                    role?: "assistant";
                    content?: string;
                };
                /** @description `null` until the last chunk, which says why the answer ended. */
                finishReason: components["schemas"]["ChatFinishReason"] | null;
            }[];
        };
        /**
         * ChatCompletionDone
         * @description The last frame of a streamed completion: the literal text `[DONE]` as the frame's data, unnamed and not JSON (as OpenAI-compatible clients expect).
         * @example [DONE]
         * @enum {string}
         */
        ChatCompletionDone: "[DONE]";
        /**
         * ChatCompletionId
         * @description The id of one completion, shared by all of its chunks.
         * @example chatcmpl_0193a5d000007000800000000000001
         */
        ChatCompletionId: string;
        /**
         * ChatCompletionRequest
         * @description A question for the pet advisor, in the OpenAI chat-completions shape. The advisor answers the last `user` message from the live catalog.
         * @example {
         *       "model": "PET_ADVISOR_1",
         *       "stream": true,
         *       "messages": [
         *         {
         *           "role": "user",
         *           "content": "What is in stock?"
         *         }
         *       ]
         *     }
         * @example {
         *       "model": "PET_ADVISOR_TURBO",
         *       "maxTokens": 64,
         *       "messages": [
         *         {
         *           "role": "system",
         *           "content": "Answer in one paragraph."
         *         },
         *         {
         *           "role": "user",
         *           "content": "How much is Biscuit?"
         *         }
         *       ]
         *     }
         */
        ChatCompletionRequest: {
            model: components["schemas"]["ChatModel"];
            /** @description The conversation so far, oldest first. */
            messages: components["schemas"]["ChatMessage"][];
            /** @description `true` streams the answer as `text/event-stream` chunks ending with `data: [DONE]`; `false` (the default) answers with one `application/json` ChatCompletion. */
            stream?: boolean;
            /** @description At most this many tokens (content chunks) in the answer; a longer answer is cut and ends with `finishReason: length`. Default: the whole answer. */
            maxTokens?: number;
        };
        /**
         * ChatFinishReason
         * @description Why the answer ended: `stop` (it is complete), `length` (`maxTokens` was reached) or `content_filter` (an upstream model withheld the rest).
         * @example stop
         * @enum {string}
         */
        ChatFinishReason: "stop" | "length" | "content_filter";
        /**
         * ChatMessage
         * @description One message of the conversation sent to the pet advisor.
         * @example {
         *       "role": "user",
         *       "content": "Which pets are good for a family with kids?"
         *     }
         */
        ChatMessage: {
            role: components["schemas"]["ChatRole"];
            content: string;
        };
        /**
         * ChatModel
         * @description The pet advisor model. `PET_ADVISOR_1` answers in full; `PET_ADVISOR_TURBO` answers the same questions more briefly.
         * @example PET_ADVISOR_1
         * @enum {string}
         */
        ChatModel: "PET_ADVISOR_1" | "PET_ADVISOR_TURBO";
        /**
         * ChatRole
         * @description Who wrote a chat message.
         * @example user
         * @enum {string}
         */
        ChatRole: "system" | "user" | "assistant";
        /**
         * DevToken
         * @description A demo access token (a JWT signed by this server) for one user, sent as `Authorization: Bearer <accessToken>`. Issued only in dev mode; see `POST /v1/dev/tokens`.
         * @example {
         *       "accessToken": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQ1NiJ9.c2lnbmF0dXJlLW9mLXRoZS1kZW1vLXRva2Vu",
         *       "tokenType": "Bearer",
         *       "expiresIn": 3600,
         *       "expiresAt": "2026-11-24T11:15:30.123Z",
         *       "scopes": []
         *     }
         */
        DevToken: {
            /** @description A compact JWT (HS256) whose subject (`sub`) is the user id. */
            accessToken: string;
            /** @constant */
            tokenType: "Bearer";
            /** @description Seconds from now until the token expires. */
            expiresIn: number;
            expiresAt: components["schemas"]["Timestamp"];
            /** @description The staff scopes the token carries, as asked for (empty when none were). */
            scopes: components["schemas"]["Scope"][];
        };
        /**
         * DevTokenRequest
         * @description Whose demo access token to issue, for how long, and with which staff scopes.
         * @example {
         *       "userId": "user-456"
         *     }
         * @example {
         *       "userId": "user-123",
         *       "expiresIn": 60
         *     }
         * @example {
         *       "userId": "user-123",
         *       "scopes": [
         *         "catalog:write",
         *         "inventory:write"
         *       ]
         *     }
         */
        DevTokenRequest: {
            userId: components["schemas"]["UserId"];
            /** @description Seconds the token is valid; 3600 when left out. */
            expiresIn?: number;
            /** @description The staff scopes the token carries (in its scopes claim); none when left out, so the token can order and read its user's data but not change the catalog or the inventory. */
            scopes?: components["schemas"]["Scope"][];
        };
        /**
         * FieldError
         * @example {
         *       "in": "body",
         *       "pointer": "/quantity",
         *       "message": "must be >= 1"
         *     }
         */
        FieldError: {
            /**
             * @description Where the invalid value was.
             * @enum {string}
             */
            in: "body" | "query" | "path" | "header";
            /** @description JSON pointer to the value inside that part of the request. */
            pointer: string;
            message: string;
        };
        /**
         * InventoryItem
         * @example {
         *       "petId": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90",
         *       "name": "Whiskers",
         *       "stock": 3,
         *       "price": 249.99,
         *       "updatedAt": "2026-11-20T14:30:00.000Z"
         *     }
         */
        InventoryItem: {
            petId: components["schemas"]["PetId"];
            name: string;
            stock: components["schemas"]["Stock"];
            price: components["schemas"]["Price"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /**
         * InventoryList
         * @example {
         *       "items": [
         *         {
         *           "petId": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90",
         *           "name": "Whiskers",
         *           "stock": 3,
         *           "price": 249.99,
         *           "updatedAt": "2026-11-20T14:30:00.000Z"
         *         }
         *       ]
         *     }
         */
        InventoryList: {
            items: components["schemas"]["InventoryItem"][];
        };
        /**
         * InventoryUpdate
         * @description New stock and/or price for a pet. Each value that really changes publishes one inventory event.
         * @example {
         *       "price": 229.99
         *     }
         * @example {
         *       "stock": 5,
         *       "price": 199
         *     }
         */
        InventoryUpdate: {
            stock?: components["schemas"]["Stock"];
            price?: components["schemas"]["Price"];
        };
        /**
         * Like
         * @example {
         *       "petId": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90"
         *     }
         */
        Like: {
            petId: components["schemas"]["PetId"];
        };
        /**
         * Order
         * @example {
         *       "id": "0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607",
         *       "petId": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90",
         *       "userId": "user-456",
         *       "quantity": 1,
         *       "unitPrice": 249.99,
         *       "total": 249.99,
         *       "status": "payment_confirmed",
         *       "history": [
         *         {
         *           "status": "payment_processing",
         *           "timestamp": "2026-11-24T10:15:30.123Z"
         *         },
         *         {
         *           "status": "payment_confirmed",
         *           "timestamp": "2026-11-24T10:15:32.125Z"
         *         }
         *       ],
         *       "createdAt": "2026-11-24T10:15:30.123Z",
         *       "updatedAt": "2026-11-24T10:15:32.125Z"
         *     }
         */
        Order: {
            id: components["schemas"]["OrderId"];
            petId: components["schemas"]["PetId"];
            userId: components["schemas"]["UserId"];
            quantity: number;
            unitPrice: components["schemas"]["Price"];
            total: components["schemas"]["Price"];
            status: components["schemas"]["OrderStatus"];
            trackingNumber?: components["schemas"]["TrackingNumber"];
            history: components["schemas"]["OrderStatusChange"][];
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /**
         * OrderCancelled
         * @description The order was cancelled before it shipped; it has no tracking number.
         * @example {
         *       "status": "cancelled",
         *       "timestamp": "2026-11-24T10:15:31.002Z"
         *     }
         */
        OrderCancelled: {
            /** @constant */
            status: "cancelled";
            timestamp: components["schemas"]["Timestamp"];
        };
        /**
         * OrderComplete
         * @description The last frame of an order status stream: shipped (with its tracking number) or cancelled (without one), told apart by `status`.
         * @example {
         *       "status": "shipped",
         *       "trackingNumber": "TRK7K2M9Q4X1Z",
         *       "timestamp": "2026-11-24T10:15:36.130Z"
         *     }
         * @example {
         *       "status": "cancelled",
         *       "timestamp": "2026-11-24T10:15:31.002Z"
         *     }
         */
        OrderComplete: components["schemas"]["OrderShipped"] | components["schemas"]["OrderCancelled"];
        /**
         * OrderCreate
         * @example {
         *       "petId": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90",
         *       "quantity": 1,
         *       "userId": "user-456"
         *     }
         */
        OrderCreate: {
            petId: components["schemas"]["PetId"];
            quantity: number;
            userId: components["schemas"]["UserId"];
        };
        /**
         * OrderId
         * Format: uuid
         * @description An order's id, a UUIDv7 (time-ordered) in lower-case hex.
         * @example 0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607
         */
        OrderId: string;
        /**
         * OrderShipped
         * @description The order shipped; it carries its tracking number.
         * @example {
         *       "status": "shipped",
         *       "trackingNumber": "TRK7K2M9Q4X1Z",
         *       "timestamp": "2026-11-24T10:15:36.130Z"
         *     }
         */
        OrderShipped: {
            /** @constant */
            status: "shipped";
            trackingNumber: components["schemas"]["TrackingNumber"];
            timestamp: components["schemas"]["Timestamp"];
        };
        /**
         * OrderStatus
         * @example payment_processing
         * @enum {string}
         */
        OrderStatus: "payment_processing" | "payment_confirmed" | "preparing_shipment" | "shipped" | "cancelled";
        /**
         * OrderStatusChange
         * @description One entry of an order's status history.
         * @example {
         *       "status": "payment_processing",
         *       "timestamp": "2026-11-24T10:15:30.123Z"
         *     }
         */
        OrderStatusChange: {
            status: components["schemas"]["OrderStatus"];
            timestamp: components["schemas"]["Timestamp"];
        };
        /**
         * OrderStatusUpdate
         * @description An order moved to a new intermediate status. Sent as an unnamed frame (a browser dispatches it as `message`).
         * @example {
         *       "status": "payment_processing",
         *       "timestamp": "2026-11-24T10:15:30.123Z"
         *     }
         * @example {
         *       "status": "preparing_shipment",
         *       "timestamp": "2026-11-24T10:15:34.127Z"
         *     }
         */
        OrderStatusUpdate: {
            /**
             * OrderProgressStatus
             * @enum {string}
             */
            status: "payment_processing" | "payment_confirmed" | "preparing_shipment";
            timestamp: components["schemas"]["Timestamp"];
        };
        /**
         * Pet
         * @description A pet in the catalog.
         * @example {
         *       "id": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90",
         *       "name": "Whiskers",
         *       "species": "cat",
         *       "breed": "Maine Coon",
         *       "size": "medium",
         *       "ageMonths": 18,
         *       "traits": [
         *         "calm",
         *         "affectionate",
         *         "good-with-kids"
         *       ],
         *       "description": "A gentle giant who loves naps in the sun.",
         *       "price": 249.99,
         *       "stock": 3,
         *       "createdAt": "2026-11-01T09:00:00.000Z",
         *       "updatedAt": "2026-11-20T14:30:00.000Z"
         *     }
         */
        Pet: {
            id: components["schemas"]["PetId"];
            name: string;
            species: components["schemas"]["Species"];
            breed: string;
            size: components["schemas"]["PetSize"];
            /** @description Age in months. */
            ageMonths: number;
            traits: components["schemas"]["Trait"][];
            description: string;
            price: components["schemas"]["Price"];
            stock: components["schemas"]["Stock"];
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /**
         * PetCreate
         * @description A new pet for the catalog.
         * @example {
         *       "name": "Biscuit",
         *       "species": "dog",
         *       "breed": "Beagle",
         *       "size": "medium",
         *       "ageMonths": 8,
         *       "traits": [
         *         "playful",
         *         "good-with-kids"
         *       ],
         *       "description": "Loves long walks and longer naps.",
         *       "price": 399,
         *       "stock": 2
         *     }
         */
        PetCreate: {
            name: string;
            species: components["schemas"]["Species"];
            breed: string;
            size: components["schemas"]["PetSize"];
            ageMonths: number;
            traits?: components["schemas"]["Trait"][];
            description?: string;
            price: components["schemas"]["Price"];
            stock: components["schemas"]["Stock"];
        };
        /**
         * PetId
         * Format: uuid
         * @description A pet's id, a UUIDv7 (time-ordered) in lower-case hex.
         * @example 0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90
         */
        PetId: string;
        /**
         * PetList
         * @example {
         *       "items": [
         *         {
         *           "id": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90",
         *           "name": "Whiskers",
         *           "species": "cat",
         *           "breed": "Maine Coon",
         *           "size": "medium",
         *           "ageMonths": 18,
         *           "traits": [
         *             "calm",
         *             "affectionate"
         *           ],
         *           "description": "A gentle giant who loves naps in the sun.",
         *           "price": 249.99,
         *           "stock": 3,
         *           "createdAt": "2026-11-01T09:00:00.000Z",
         *           "updatedAt": "2026-11-20T14:30:00.000Z"
         *         }
         *       ],
         *       "total": 1
         *     }
         */
        PetList: {
            items: components["schemas"]["Pet"][];
            /** @description Number of pets that match the filter, over all pages. */
            total: number;
        };
        /**
         * PetSize
         * @example small
         * @enum {string}
         */
        PetSize: "small" | "medium" | "large";
        /**
         * PetUpdate
         * @description Changes to a pet's catalog entry. Stock and price change through PATCH /v1/inventory/{petId}, which publishes inventory events.
         * @example {
         *       "description": "Now house-trained.",
         *       "traits": [
         *         "playful",
         *         "good-with-kids",
         *         "house-trained"
         *       ]
         *     }
         */
        PetUpdate: {
            name?: string;
            breed?: string;
            size?: components["schemas"]["PetSize"];
            ageMonths?: number;
            traits?: components["schemas"]["Trait"][];
            description?: string;
        };
        /**
         * Preferences
         * @description What a user looks for in a pet; every field is optional and narrows nothing, it only weighs the recommendations.
         * @example {
         *       "species": [
         *         "cat"
         *       ],
         *       "sizes": [
         *         "small",
         *         "medium"
         *       ],
         *       "maxAgeMonths": 36,
         *       "maxPrice": 300,
         *       "traits": [
         *         "calm",
         *         "good-with-kids"
         *       ]
         *     }
         */
        Preferences: {
            species?: components["schemas"]["Species"][];
            sizes?: components["schemas"]["PetSize"][];
            /** @description At most `maxAgeMonths` when both are given (`400` otherwise). */
            minAgeMonths?: number;
            maxAgeMonths?: number;
            maxPrice?: components["schemas"]["Price"];
            traits?: components["schemas"]["Trait"][];
        };
        /**
         * Price
         * @description A price in US dollars, never negative, in whole cents: a JSON number with at most two decimals (`249.99`). Standard JSON Schema cannot state "two decimals" for a number without a floating `multipleOf: 0.01`, which default validators get wrong (19.99 / 0.01 is not an integer in binary floating point), so it is said here in words: the server refuses a price with more decimals (`400`) and only ever sends whole cents.
         * @example 249.99
         */
        Price: number;
        /**
         * PriceChange
         * @description A pet's price changed.
         * @example {
         *       "petId": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90",
         *       "oldPrice": 249.99,
         *       "newPrice": 229.99,
         *       "timestamp": "2026-11-24T10:16:02.500Z"
         *     }
         */
        PriceChange: {
            petId: components["schemas"]["PetId"];
            oldPrice: components["schemas"]["Price"];
            newPrice: components["schemas"]["Price"];
            timestamp: components["schemas"]["Timestamp"];
        };
        /**
         * Problem
         * @description An RFC 9457 problem details object, sent as application/problem+json.
         * @example {
         *       "type": "/problems/validation-error",
         *       "title": "Request is not valid",
         *       "status": 400,
         *       "detail": "The query parameter userId is required.",
         *       "instance": "/v1/pets/recommendations/stream",
         *       "errors": [
         *         {
         *           "in": "query",
         *           "pointer": "/userId",
         *           "message": "is required"
         *         }
         *       ]
         *     }
         */
        Problem: {
            /**
             * Format: uri-reference
             * @description A URI reference that names the problem type.
             */
            type: string;
            title: string;
            status: number;
            detail?: string;
            /** Format: uri-reference */
            instance?: string;
            /** @description One entry per invalid field, for validation failures. */
            errors?: components["schemas"]["FieldError"][];
        };
        /**
         * Recommendation
         * @description One recommended pet, sent the moment it is ranked. Recommendations arrive highest score first.
         * @example {
         *       "petId": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90",
         *       "name": "Whiskers",
         *       "score": 0.92,
         *       "reason": "Matches your preference for cats; similar to pets you liked"
         *     }
         */
        Recommendation: {
            petId: components["schemas"]["PetId"];
            name: string;
            /** @description How well the pet matches, from 0 (not at all) to 1 (perfectly). */
            score: number;
            /** @description Why the pet was recommended, naming what matched. */
            reason: string;
        };
        /**
         * RecommendationsComplete
         * @description The last frame of a recommendation stream.
         * @example {
         *       "total": 10,
         *       "processingTime": 12.4
         *     }
         */
        RecommendationsComplete: {
            /** @description Number of recommendation events sent on this stream. */
            total: number;
            /** @description Measured time from the request to the last recommendation, in milliseconds. */
            processingTime: number;
        };
        /**
         * Scope
         * @description A staff permission an access token carries in its scopes claim: `catalog:write` adds and changes pets (`POST /v1/pets`, `PATCH /v1/pets/{petId}`), `inventory:write` sets stock and prices (`PATCH /v1/inventory/{petId}`).
         * @example inventory:write
         * @enum {string}
         */
        Scope: "catalog:write" | "inventory:write";
        /**
         * Species
         * @example cat
         * @enum {string}
         */
        Species: "dog" | "cat" | "bird" | "rabbit" | "fish" | "reptile" | "hamster" | "guinea-pig";
        /**
         * Stock
         * @description Units in stock, a whole number, never negative.
         * @example 3
         */
        Stock: number;
        /**
         * StockChange
         * @description A pet's stock changed (an order took units, a cancellation returned them, or an inventory update set it).
         * @example {
         *       "petId": "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90",
         *       "oldStock": 3,
         *       "newStock": 2,
         *       "timestamp": "2026-11-24T10:15:30.123Z"
         *     }
         */
        StockChange: {
            petId: components["schemas"]["PetId"];
            oldStock: components["schemas"]["Stock"];
            newStock: components["schemas"]["Stock"];
            timestamp: components["schemas"]["Timestamp"];
        };
        /**
         * StreamError
         * @description The server had to end the stream after it opened. Sent as `event: stream-error` (never `error`, which collides with EventSource's own error event); the stream closes after it. `unavailable` and `shutting_down` are transient: reconnect after the `retry:` delay with the last event id. `credential_expired`: the access token (or the token a stream ticket was issued from) expired; get a fresh one and reconnect with the last event id.
         * @example {
         *       "code": "unavailable",
         *       "message": "The event log is unreachable; reconnect after the retry delay."
         *     }
         * @example {
         *       "code": "invalid_frame",
         *       "message": "The server produced an event that does not match its schema; it was not sent."
         *     }
         * @example {
         *       "code": "credential_expired",
         *       "message": "The credential of this stream expired; reconnect with a fresh one to resume after the last event id."
         *     }
         */
        StreamError: {
            /**
             * StreamErrorCode
             * @enum {string}
             */
            code: "invalid_frame" | "internal_error" | "unavailable" | "shutting_down" | "credential_expired";
            message: string;
        };
        /**
         * StreamReset
         * @description The Last-Event-ID the client resumed from cannot be replayed: it was never issued (`unknown_id`), the events after it are no longer kept (`expired_id`), or it belongs to another history of the stream, from before its data was created anew (`other_generation`). Refetch current state over REST; live events follow this frame.
         * @example {
         *       "reason": "expired_id",
         *       "lastEventId": "3f9a0c1d2b7e.42",
         *       "detail": "Events after 3f9a0c1d2b7e.42 are no longer held. Refetch GET /v1/inventory, then follow the live events."
         *     }
         */
        StreamReset: {
            /**
             * StreamResetReason
             * @enum {string}
             */
            reason: "unknown_id" | "expired_id" | "other_generation";
            /** @description The id the client asked to resume after. */
            lastEventId: string;
            detail: string;
        };
        /**
         * StreamTicket
         * @description A single-use credential for one request of one stream, for a client that cannot send headers (a browser's EventSource): pass it as `?ticket=` on the status stream URL of the order it was issued for, before `expiresAt`. It works once, on any instance; the stream it opens ends with `stream-error` `credential_expired` when the access token it was issued from expires.
         * @example {
         *       "ticket": "st_q2Vx0d8a7kP4m1Zr9TbY3wLh6NcE5sJ0gUfA2iOoQeX",
         *       "expiresAt": "2026-11-24T10:16:00.123Z",
         *       "expiresIn": 30
         *     }
         */
        StreamTicket: {
            /** @description An unguessable value (256 random bits); the server keeps only its SHA-256 hash. */
            ticket: string;
            expiresAt: components["schemas"]["Timestamp"];
            /** @description Seconds from now until the ticket expires (`AUTH_STREAM_TICKET_TTL_SECONDS`, 30 by default, or less when the access token expires sooner). */
            expiresIn: number;
        };
        /**
         * StreamTicketRequest
         * @description The stream a ticket is for, the status stream of this order, which must be the caller's.
         * @example {
         *       "orderId": "0193a5c4-1d2e-7f30-8a41-b2c3d4e5f607"
         *     }
         */
        StreamTicketRequest: {
            orderId: components["schemas"]["OrderId"];
        };
        /**
         * Timestamp
         * Format: date-time
         * @description An RFC 3339 date-time in UTC.
         * @example 2026-11-24T10:15:30.123Z
         */
        Timestamp: string;
        /**
         * TrackingNumber
         * @description The carrier's tracking number, set when the order ships.
         * @example TRK7K2M9Q4X1Z
         */
        TrackingNumber: string;
        /**
         * Trait
         * @description A temperament or care trait, in kebab case.
         * @example good-with-kids
         */
        Trait: string;
        /**
         * User
         * @example {
         *       "id": "user-456",
         *       "name": "Alex Rivera",
         *       "preferences": {
         *         "species": [
         *           "cat"
         *         ],
         *         "sizes": [
         *           "small",
         *           "medium"
         *         ],
         *         "maxPrice": 300,
         *         "traits": [
         *           "calm"
         *         ]
         *       },
         *       "likedPetIds": [
         *         "0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90"
         *       ]
         *     }
         */
        User: {
            id: components["schemas"]["UserId"];
            name: string;
            preferences: components["schemas"]["Preferences"];
            likedPetIds: components["schemas"]["PetId"][];
        };
        /**
         * UserId
         * @description A user's id.
         * @example user-456
         */
        UserId: string;
        /**
         * EventId
         * @description An SSE event id as this server writes them; short and plain so no CORS preflight is needed.
         * @example 41
         */
        EventId: string;
        /**
         * Health
         * @example {
         *       "status": "ok"
         *     }
         */
        Health: {
            /** @enum {string} */
            status: "ok";
        };
        /**
         * RecommendationsStreamData
         * @description The JSON `data` of one frame of the recommendations stream, by its `event:` name: `recommendation` (Recommendation), `complete` (RecommendationsComplete), `reset` (StreamReset) or `stream-error` (StreamError). OpenAPI 3.1 has no schema for the items of a stream, so this is what generators type each item with (Hey API yields each frame's parsed `data`); `/openapi-3.2.json` pairs every event name with its payload (`itemSchema`), and the AsyncAPI document gives the full grammar.
         */
        RecommendationsStreamData: components["schemas"]["Recommendation"] | components["schemas"]["RecommendationsComplete"] | components["schemas"]["StreamReset"] | components["schemas"]["StreamError"];
        /**
         * OrderStatusStreamData
         * @description The JSON `data` of one frame of the order status stream, by its `event:` name: none, so `message` (OrderStatusUpdate), `complete` (OrderComplete), `reset` (StreamReset) or `stream-error` (StreamError). See RecommendationsStreamData for why a stream is described by its items' data.
         */
        OrderStatusStreamData: components["schemas"]["OrderStatusUpdate"] | components["schemas"]["OrderComplete"] | components["schemas"]["StreamReset"] | components["schemas"]["StreamError"];
        /**
         * InventoryStreamData
         * @description The JSON `data` of one frame of the inventory stream, by its `event:` name: `stock-change` (StockChange), `price-change` (PriceChange), `reset` (StreamReset) or `stream-error` (StreamError). See RecommendationsStreamData for why a stream is described by its items' data.
         */
        InventoryStreamData: components["schemas"]["StockChange"] | components["schemas"]["PriceChange"] | components["schemas"]["StreamReset"] | components["schemas"]["StreamError"];
        /**
         * ChatCompletionsStreamData
         * @description The `data` of one frame of the chat stream: unnamed frames (`message`) carrying a JSON ChatCompletionChunk, then the text `[DONE]` (ChatCompletionDone, not JSON); or `stream-error` (StreamError). See RecommendationsStreamData for why a stream is described by its items' data.
         */
        ChatCompletionsStreamData: components["schemas"]["ChatCompletionChunk"] | components["schemas"]["ChatCompletionDone"] | components["schemas"]["StreamError"];
    };
    responses: {
        /** @description A stream of recommendations, then `complete`. */
        RecommendationsStream: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Cache-Control": components["headers"]["CacheControlNoCache"];
                "X-Accel-Buffering": components["headers"]["XAccelBuffering"];
                [name: string]: unknown;
            };
            content: {
                "text/event-stream": components["schemas"]["RecommendationsStreamData"];
            };
        };
        /** @description The order's status history, live updates, then `complete`. */
        OrderStatusStream: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Cache-Control": components["headers"]["CacheControlNoCache"];
                "X-Accel-Buffering": components["headers"]["XAccelBuffering"];
                [name: string]: unknown;
            };
            content: {
                "text/event-stream": components["schemas"]["OrderStatusStreamData"];
            };
        };
        /** @description An endless stream of stock and price changes. */
        InventoryStream: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Cache-Control": components["headers"]["CacheControlNoCache"];
                "X-Accel-Buffering": components["headers"]["XAccelBuffering"];
                [name: string]: unknown;
            };
            content: {
                "text/event-stream": components["schemas"]["InventoryStreamData"];
            };
        };
        /** @description The advisor's answer, as one JSON completion (`stream` false) or as a stream (`stream` true). */
        ChatCompletion: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Cache-Control": components["headers"]["CacheControlNoCache"];
                "X-Accel-Buffering": components["headers"]["XAccelBuffering"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ChatCompletion"];
                "text/event-stream": components["schemas"]["ChatCompletionsStreamData"];
            };
        };
        /** @description The stream already ended at the given Last-Event-ID; there is nothing more to send. This stops EventSource from reconnecting. */
        StreamFinished: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description The request is not valid. */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                /** @description On an operation that needs credentials, when the ones sent are malformed (RFC 6750 `invalid_request`): `Bearer realm="petstore-sse", error="invalid_request"`. */
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No such resource. */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No valid credentials: the access token is missing, malformed, not signed by a trusted key with an allowed algorithm, for another issuer or audience, expired or not yet valid; or the stream ticket is unknown, used, expired or for another order. */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The credentials are valid but do not allow this request: an order for another user, or a token without the scope the operation needs (then `WWW-Authenticate: Bearer error="insufficient_scope"` names it). */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "WWW-Authenticate": components["headers"]["WwwAuthenticateInsufficientScope"];
                "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The change is not possible in the resource's current state; or (`/problems/idempotency-key-in-flight`, with `Retry-After`) the first request with this `Idempotency-Key` has not answered yet: retry the same request with the same key after `Retry-After` seconds; or (`/problems/idempotency-key-answer-lost`) the first request with this key was applied but the server stopped before its answer was kept: it is never applied again; read the resource to see its result. */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                /** @description Seconds to wait before retrying; sent with `/problems/idempotency-key-in-flight` only. */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description This `Idempotency-Key` was used with another request (another method, path or JSON body) of the same operation and user: a key names one request. Send a new key for a new request. */
        IdempotencyKeyReused: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The upstream model (`CHAT_UPSTREAM_URL`) could not be reached or refused the request. */
        BadGateway: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A limit of this client was reached: its concurrent streams (`MAX_STREAMS_PER_CLIENT`), the server's (`MAX_STREAMS`), or its REST requests per minute (`RATE_LIMIT_PER_MINUTE`). A stream is refused before it opens. Retry after `Retry-After` seconds. */
        TooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request line and headers are larger than the server accepts (`MAX_HEADER_BYTES`, 16 KiB by default). */
        RequestHeaderFieldsTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The path has no operation for this method, or a plain `OPTIONS` (not a CORS preflight); `Allow` lists the methods it has. */
        MethodNotAllowed: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The method is not one the server knows (e.g. `PROPFIND`); `Allow` lists the methods of the path. */
        NotImplemented: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request's `Accept` does not allow `text/event-stream`, the only media type a stream path answers with. */
        NotAcceptable: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request body did not arrive in full within HTTP_BODY_TIMEOUT_MS (30 s by default) of its headers. The connection (HTTP/1.1) or the stream (HTTP/2) is closed after this answer. */
        RequestTimeout: {
            headers: {
                /** @description `close` over HTTP/1.1: the connection ends with this answer. */
                Connection?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request body is larger than 64 KiB. */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The request body is not sent as `application/json`. */
        UnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A service the request needs is unreachable (the database, or for a stream the event log): `unavailable` means nothing was committed; retry after `Retry-After` seconds. A change that was committed is always answered with its `2xx`, even when publishing its events is delayed (they are committed with it and carried once the event log is back). Only when the database connection dropped during the commit and its outcome could not be read back is the answer `outcome_unknown`: the change may have been applied; read the resource to see before you retry (the same `Idempotency-Key` is refused as in flight for `IDEMPOTENCY_LEASE_SECONDS`). */
        ServiceUnavailable: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A CORS preflight from an origin `CORS_ORIGINS` does not list (or with CORS off): the browser will not send the request. `Allow` lists the methods of the path. */
        PreflightRefused: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description A CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed origin (`CORS_ORIGINS`): the `Access-Control-*` headers say what the browser may send; no content. */
        Preflight: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description The document, as JSON. */
        ContractDocument: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                [name: string]: unknown;
            };
            content: {
                "application/json": Record<string, never>;
            };
        };
        /** @description The file, with its media type from its extension. Pages carry a `Content-Security-Policy` that allows nothing from another origin. */
        StaticFile: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Cache-Control": components["headers"]["CacheControlNoCache"];
                "X-Content-Type-Options": components["headers"]["XContentTypeOptions"];
                "Last-Modified": components["headers"]["LastModified"];
                ETag: components["headers"]["ETag"];
                "Accept-Ranges": components["headers"]["AcceptRanges"];
                "Content-Encoding": components["headers"]["ContentEncoding"];
                "Content-Security-Policy": components["headers"]["ContentSecurityPolicy"];
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
                "text/javascript": string;
                "text/css": string;
                "image/svg+xml": string;
            };
        };
        /** @description The client's copy (`If-None-Match`, `If-Modified-Since`) is current. */
        NotModified: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Cache-Control": components["headers"]["CacheControlNoCache"];
                "X-Content-Type-Options": components["headers"]["XContentTypeOptions"];
                "Last-Modified": components["headers"]["LastModified"];
                ETag: components["headers"]["ETag"];
                "Accept-Ranges": components["headers"]["AcceptRanges"];
                "Content-Security-Policy": components["headers"]["ContentSecurityPolicy"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description The byte range asked for with `Range` (one range; `If-Range` with a validator that is not current gets the whole file, `200`). With a precompressed copy, the range is of the compressed bytes. */
        PartialContent: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Cache-Control": components["headers"]["CacheControlNoCache"];
                "X-Content-Type-Options": components["headers"]["XContentTypeOptions"];
                "Last-Modified": components["headers"]["LastModified"];
                ETag: components["headers"]["ETag"];
                "Accept-Ranges": components["headers"]["AcceptRanges"];
                "Content-Encoding": components["headers"]["ContentEncoding"];
                /** @description The bytes sent and the file's length, e.g. `bytes 0-99/2048`. */
                "Content-Range": string;
                "Content-Security-Policy": components["headers"]["ContentSecurityPolicy"];
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
                "text/javascript": string;
                "text/css": string;
                "image/svg+xml": string;
            };
        };
        /** @description `If-Match` or `If-Unmodified-Since` names a version of the file that is not current; no body. */
        PreconditionFailed: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Cache-Control": components["headers"]["CacheControlNoCache"];
                "X-Content-Type-Options": components["headers"]["XContentTypeOptions"];
                "Last-Modified": components["headers"]["LastModified"];
                ETag: components["headers"]["ETag"];
                "Accept-Ranges": components["headers"]["AcceptRanges"];
                "Content-Encoding": components["headers"]["ContentEncoding"];
                "Content-Security-Policy": components["headers"]["ContentSecurityPolicy"];
                [name: string]: unknown;
            };
            content: {
                "text/plain": string;
            };
        };
        /** @description `Range` asks for no byte of the file; `Content-Range` gives its length. No body. */
        RangeNotSatisfiable: {
            headers: {
                "X-Request-Id": components["headers"]["XRequestId"];
                "Cache-Control": components["headers"]["CacheControlNoCache"];
                "X-Content-Type-Options": components["headers"]["XContentTypeOptions"];
                "Last-Modified": components["headers"]["LastModified"];
                ETag: components["headers"]["ETag"];
                "Accept-Ranges": components["headers"]["AcceptRanges"];
                "Content-Encoding": components["headers"]["ContentEncoding"];
                /** @description The file's length, e.g. `bytes *\/2048`. */
                "Content-Range": string;
                "Content-Security-Policy": components["headers"]["ContentSecurityPolicy"];
                [name: string]: unknown;
            };
            content: {
                "text/plain": string;
            };
        };
    };
    parameters: {
        /** @description Makes a write safe to retry (after the IETF httpapi Idempotency-Key draft): send a new unique value (a UUID) with each new write, and the same value with each retry of it. The first request with a key runs; a retry with the same key and the same request (method, path and JSON body) changes nothing and gets the first answer again, byte for byte, marked `Idempotency-Replayed: true`. The same key with another request is `422`; while the first request has not answered yet, `409` with `Retry-After`. A `5xx` answer is not kept, so its retry runs. Keys are kept `IDEMPOTENCY_KEY_TTL_SECONDS` (a day), per operation and per user (the access token's subject), by every instance sharing the database. The value is taken as sent: 1 to 255 visible ASCII characters (`400` otherwise). */
        IdempotencyKey: string;
        PetIdPath: components["schemas"]["PetId"];
        OrderIdPath: components["schemas"]["OrderId"];
        /** @description One path segment naming a page or file. */
        SitePage: string;
        /**
         * @description One path segment naming a page of the live stream console, or a file it loads.
         * @example inventory
         */
        ConsolePage: string;
        /** @description One path segment naming a file. */
        SiteFile: string;
        UserIdPath: components["schemas"]["UserId"];
        /** @description Resume after this event id on a first connect. The Last-Event-ID header wins when both are sent. */
        LastEventIdQuery: components["schemas"]["EventId"];
        /** @description Sent by EventSource on a reconnect; the stream resumes after this id. */
        LastEventIdHeader: components["schemas"]["EventId"];
    };
    requestBodies: never;
    headers: {
        /** @description `true` on an answer replayed for a retry with the same `Idempotency-Key`: the stored answer of the first request with that key; nothing was changed by this request. Absent on an answer of a request that ran. */
        IdempotencyReplayed: "true";
        /** @description The request's id, in every answer of the app and in its log line: the client's own `X-Request-Id` when it sent a plain one (letters, digits, `.`, `_`, `-`; at most 64), else a new UUID. */
        XRequestId: string;
        /** @description The methods the path answers, e.g. `HEAD, GET, POST`. */
        Allow: string;
        /** @description Browsers must not guess another media type. */
        XContentTypeOptions: "nosniff";
        /** @description When the file last changed (an HTTP date). */
        LastModified: string;
        /** @description The version of the file (of its precompressed copy when one is sent), for `If-None-Match`, `If-Match` and `If-Range`. */
        ETag: string;
        /** @description Byte ranges of the file can be asked for with `Range`. */
        AcceptRanges: "bytes";
        /** @description `br` or `gzip` when the build's precompressed copy of the file is sent (the client accepts it); absent otherwise. */
        ContentEncoding: "br" | "gzip";
        /** @description On pages only; allows nothing from another origin. */
        ContentSecurityPolicy: string;
        /** @description Streams and site files are never used from a cache without asking. */
        CacheControlNoCache: "no-cache";
        /** @description Tells proxies (nginx) not to buffer the stream. */
        XAccelBuffering: "no";
        /** @description Credentials and metrics are never stored by caches. */
        CacheControlNoStore: "no-store";
        /** @description The Bearer challenge (RFC 6750): `Bearer realm="petstore-sse"`, with `error="invalid_token"` and an `error_description` when a token was sent but refused. */
        WwwAuthenticate: string;
        /** @description Sent when the access token lacks the scope the operation needs (RFC 6750 §3.1): `Bearer realm="petstore-sse", error="insufficient_scope", scope="<the scopes needed>"`. */
        WwwAuthenticateInsufficientScope: string;
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listPets: {
        parameters: {
            query?: {
                species?: components["schemas"]["Species"];
                size?: components["schemas"]["PetSize"];
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of pets, oldest first. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PetList"];
                };
            };
            400: components["responses"]["BadRequest"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createPet: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a write safe to retry (after the IETF httpapi Idempotency-Key draft): send a new unique value (a UUID) with each new write, and the same value with each retry of it. The first request with a key runs; a retry with the same key and the same request (method, path and JSON body) changes nothing and gets the first answer again, byte for byte, marked `Idempotency-Replayed: true`. The same key with another request is `422`; while the first request has not answered yet, `409` with `Retry-After`. A `5xx` answer is not kept, so its retry runs. Keys are kept `IDEMPOTENCY_KEY_TTL_SECONDS` (a day), per operation and per user (the access token's subject), by every instance sharing the database. The value is taken as sent: 1 to 255 visible ASCII characters (`400` otherwise). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PetCreate"];
            };
        };
        responses: {
            /** @description The pet was created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                    /** @description The new pet's URL. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsPets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headListPets: {
        parameters: {
            query?: {
                species?: components["schemas"]["Species"];
                size?: components["schemas"]["PetSize"];
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of pets, oldest first. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PetList"];
                };
            };
            400: components["responses"]["BadRequest"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getPet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pet. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pet"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsPetsByPetId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetPet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pet. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pet"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updatePet: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a write safe to retry (after the IETF httpapi Idempotency-Key draft): send a new unique value (a UUID) with each new write, and the same value with each retry of it. The first request with a key runs; a retry with the same key and the same request (method, path and JSON body) changes nothing and gets the first answer again, byte for byte, marked `Idempotency-Replayed: true`. The same key with another request is `422`; while the first request has not answered yet, `409` with `Retry-After`. A `5xx` answer is not kept, so its retry runs. Keys are kept `IDEMPOTENCY_KEY_TTL_SECONDS` (a day), per operation and per user (the access token's subject), by every instance sharing the database. The value is taken as sent: 1 to 255 visible ASCII characters (`400` otherwise). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                petId: components["parameters"]["PetIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PetUpdate"];
            };
        };
        responses: {
            /** @description The updated pet. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pet"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    streamRecommendations: {
        parameters: {
            query: {
                userId: components["schemas"]["UserId"];
                limit?: number;
                /** @description Resume after this event id on a first connect. The Last-Event-ID header wins when both are sent. */
                lastEventId?: components["parameters"]["LastEventIdQuery"];
            };
            header?: {
                /** @description Sent by EventSource on a reconnect; the stream resumes after this id. */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["RecommendationsStream"];
            204: components["responses"]["StreamFinished"];
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            406: components["responses"]["NotAcceptable"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsPetsRecommendationsStream: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headStreamRecommendations: {
        parameters: {
            query: {
                userId: components["schemas"]["UserId"];
                limit?: number;
                /** @description Resume after this event id on a first connect. The Last-Event-ID header wins when both are sent. */
                lastEventId?: components["parameters"]["LastEventIdQuery"];
            };
            header?: {
                /** @description Sent by EventSource on a reconnect; the stream resumes after this id. */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["RecommendationsStream"];
            204: components["responses"]["StreamFinished"];
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            406: components["responses"]["NotAcceptable"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listInventory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Stock and price per pet. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InventoryList"];
                };
            };
            400: components["responses"]["BadRequest"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsInventory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headListInventory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Stock and price per pet. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InventoryList"];
                };
            };
            400: components["responses"]["BadRequest"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsInventoryByPetId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateInventory: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a write safe to retry (after the IETF httpapi Idempotency-Key draft): send a new unique value (a UUID) with each new write, and the same value with each retry of it. The first request with a key runs; a retry with the same key and the same request (method, path and JSON body) changes nothing and gets the first answer again, byte for byte, marked `Idempotency-Replayed: true`. The same key with another request is `422`; while the first request has not answered yet, `409` with `Retry-After`. A `5xx` answer is not kept, so its retry runs. Keys are kept `IDEMPOTENCY_KEY_TTL_SECONDS` (a day), per operation and per user (the access token's subject), by every instance sharing the database. The value is taken as sent: 1 to 255 visible ASCII characters (`400` otherwise). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                petId: components["parameters"]["PetIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InventoryUpdate"];
            };
        };
        responses: {
            /** @description The pet's inventory after the change. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InventoryItem"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    streamInventory: {
        parameters: {
            query?: {
                /** @description Only events about this pet. */
                petId?: components["schemas"]["PetId"];
                /** @description Resume after this event id on a first connect. The Last-Event-ID header wins when both are sent. */
                lastEventId?: components["parameters"]["LastEventIdQuery"];
            };
            header?: {
                /** @description Sent by EventSource on a reconnect; the stream resumes after this id. */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["InventoryStream"];
            400: components["responses"]["BadRequest"];
            405: components["responses"]["MethodNotAllowed"];
            406: components["responses"]["NotAcceptable"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsInventoryStream: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headStreamInventory: {
        parameters: {
            query?: {
                /** @description Only events about this pet. */
                petId?: components["schemas"]["PetId"];
                /** @description Resume after this event id on a first connect. The Last-Event-ID header wins when both are sent. */
                lastEventId?: components["parameters"]["LastEventIdQuery"];
            };
            header?: {
                /** @description Sent by EventSource on a reconnect; the stream resumes after this id. */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["InventoryStream"];
            400: components["responses"]["BadRequest"];
            405: components["responses"]["MethodNotAllowed"];
            406: components["responses"]["NotAcceptable"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a write safe to retry (after the IETF httpapi Idempotency-Key draft): send a new unique value (a UUID) with each new write, and the same value with each retry of it. The first request with a key runs; a retry with the same key and the same request (method, path and JSON body) changes nothing and gets the first answer again, byte for byte, marked `Idempotency-Replayed: true`. The same key with another request is `422`; while the first request has not answered yet, `409` with `Retry-After`. A `5xx` answer is not kept, so its retry runs. Keys are kept `IDEMPOTENCY_KEY_TTL_SECONDS` (a day), per operation and per user (the access token's subject), by every instance sharing the database. The value is taken as sent: 1 to 255 visible ASCII characters (`400` otherwise). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OrderCreate"];
            };
        };
        responses: {
            /** @description The order was placed. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                    /** @description The new order's URL. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsOrders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order with its status history. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsOrdersByOrderId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order with its status history. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    cancelOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a write safe to retry (after the IETF httpapi Idempotency-Key draft): send a new unique value (a UUID) with each new write, and the same value with each retry of it. The first request with a key runs; a retry with the same key and the same request (method, path and JSON body) changes nothing and gets the first answer again, byte for byte, marked `Idempotency-Replayed: true`. The same key with another request is `422`; while the first request has not answered yet, `409` with `Retry-After`. A `5xx` answer is not kept, so its retry runs. Keys are kept `IDEMPOTENCY_KEY_TTL_SECONDS` (a day), per operation and per user (the access token's subject), by every instance sharing the database. The value is taken as sent: 1 to 255 visible ASCII characters (`400` otherwise). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled order. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsOrdersByOrderIdCancel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    streamOrderStatus: {
        parameters: {
            query?: {
                /** @description Resume after this event id on a first connect. The Last-Event-ID header wins when both are sent. */
                lastEventId?: components["parameters"]["LastEventIdQuery"];
            };
            header?: {
                /** @description Sent by EventSource on a reconnect; the stream resumes after this id. */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["OrderStatusStream"];
            204: components["responses"]["StreamFinished"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            406: components["responses"]["NotAcceptable"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsOrdersByOrderIdStatusStream: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headStreamOrderStatus: {
        parameters: {
            query?: {
                /** @description Resume after this event id on a first connect. The Last-Event-ID header wins when both are sent. */
                lastEventId?: components["parameters"]["LastEventIdQuery"];
            };
            header?: {
                /** @description Sent by EventSource on a reconnect; the stream resumes after this id. */
                "Last-Event-ID"?: components["parameters"]["LastEventIdHeader"];
            };
            path: {
                orderId: components["parameters"]["OrderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["OrderStatusStream"];
            204: components["responses"]["StreamFinished"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            406: components["responses"]["NotAcceptable"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user with preferences and liked pets. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsUsersByUserId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user with preferences and liked pets. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    putPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Preferences"];
            };
        };
        responses: {
            /** @description The user after the change. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsUsersByUserIdPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    likePet: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a write safe to retry (after the IETF httpapi Idempotency-Key draft): send a new unique value (a UUID) with each new write, and the same value with each retry of it. The first request with a key runs; a retry with the same key and the same request (method, path and JSON body) changes nothing and gets the first answer again, byte for byte, marked `Idempotency-Replayed: true`. The same key with another request is `422`; while the first request has not answered yet, `409` with `Retry-After`. A `5xx` answer is not kept, so its retry runs. Keys are kept `IDEMPOTENCY_KEY_TTL_SECONDS` (a day), per operation and per user (the access token's subject), by every instance sharing the database. The value is taken as sent: 1 to 255 visible ASCII characters (`400` otherwise). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Like"];
            };
        };
        responses: {
            /** @description The user after the change. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            408: components["responses"]["RequestTimeout"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsUsersByUserIdLikes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: components["parameters"]["UserIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createStreamTicket: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StreamTicketRequest"];
            };
        };
        responses: {
            /** @description The ticket. Never cache it. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Cache-Control": components["headers"]["CacheControlNoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StreamTicket"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsStreamTickets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createDevToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DevTokenRequest"];
            };
        };
        responses: {
            /** @description The access token. Never cache it. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Cache-Control": components["headers"]["CacheControlNoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevToken"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsDevTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createChatCompletion: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatCompletionRequest"];
            };
        };
        responses: {
            200: components["responses"]["ChatCompletion"];
            400: components["responses"]["BadRequest"];
            405: components["responses"]["MethodNotAllowed"];
            408: components["responses"]["RequestTimeout"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            502: components["responses"]["BadGateway"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsChatCompletions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsHealthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server takes new requests. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            /** @description The server is starting or shutting down. */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    optionsReadyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server takes new requests. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            /** @description The server is starting or shutting down. */
            503: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics, in the Prometheus text format 0.0.4. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Cache-Control": components["headers"]["CacheControlNoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics, in the Prometheus text format 0.0.4. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Cache-Control": components["headers"]["CacheControlNoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ContractDocument"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ContractDocument"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getOpenApi32: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ContractDocument"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsOpenApi32: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetOpenApi32: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ContractDocument"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getAsyncApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ContractDocument"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsAsyncApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetAsyncApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ContractDocument"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            /** @description The docs site is at `/docs/`. */
            301: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `/docs/`, with the query kept. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            304: components["responses"]["NotModified"];
            403: components["responses"]["PreflightRefused"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            /** @description The docs site is at `/docs/`. */
            301: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    /** @description `/docs/`, with the query kept. */
                    Location: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDocsPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One path segment naming a page or file. */
                page: components["parameters"]["SitePage"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsDocsByPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One path segment naming a page or file. */
                page: components["parameters"]["SitePage"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetDocsPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One path segment naming a page or file. */
                page: components["parameters"]["SitePage"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDocsConsolePage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description One path segment naming a page of the live stream console, or a file it loads.
                 * @example inventory
                 */
                consolePage: components["parameters"]["ConsolePage"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsDocsConsoleByPage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description One path segment naming a page of the live stream console, or a file it loads.
                 * @example inventory
                 */
                consolePage: components["parameters"]["ConsolePage"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetDocsConsolePage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description One path segment naming a page of the live stream console, or a file it loads.
                 * @example inventory
                 */
                consolePage: components["parameters"]["ConsolePage"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDemoPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsRoot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetDemoPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getDemoFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One path segment naming a file. */
                file: components["parameters"]["SiteFile"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    optionsDemoByFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One path segment naming a file. */
                file: components["parameters"]["SiteFile"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Preflight"];
            403: components["responses"]["PreflightRefused"];
            405: components["responses"]["MethodNotAllowed"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    headGetDemoFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description One path segment naming a file. */
                file: components["parameters"]["SiteFile"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["StaticFile"];
            206: components["responses"]["PartialContent"];
            304: components["responses"]["NotModified"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            416: components["responses"]["RangeNotSatisfiable"];
            431: components["responses"]["RequestHeaderFieldsTooLarge"];
            501: components["responses"]["NotImplemented"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
