import { request as httpRequest } from 'node:http';

export interface RawResponse {
  status: number;
  type: string;
  body: string;
}

/**
 * GET with the path and headers sent exactly as given (fetch would resolve `..`, and adds `Cache-Control:
 * no-cache` to a conditional request).
 */
export function rawGet(
  url: string,
  rawPath: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/`, { path: rawPath, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          type: response.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}
