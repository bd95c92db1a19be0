/** The findings API: the router and its two shells (local HTTP server, Lambda HTTP API). */
export { handleApiRequest, tokenMatches, type ApiDeps, type ApiRequest, type ApiResponse, type ApiDocument } from './router';
export { apiGatewayHandler, callerOf } from './lambda';
export { parseQueryString, InvalidParameter } from './validate';
export { createLocalServer, type LocalServerOptions } from './local-server';
