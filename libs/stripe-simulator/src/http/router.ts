export type HttpMethod = 'GET' | 'POST' | 'DELETE';

interface Route<H> {
  method: HttpMethod;
  pattern: string;
  segments: string[];
  handler: H;
}

export type RouteMatch<H> = { handler: H; pathParams: Record<string, string> };

/** A small route table: `/v1/checkout/sessions/:id/expire` style patterns, exact segment counts. */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: HttpMethod, pattern: string, handler: H): this {
    this.routes.push({ method, pattern, segments: split(pattern), handler });
    return this;
  }

  get(pattern: string, handler: H): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: H): this {
    return this.add('POST', pattern, handler);
  }

  delete(pattern: string, handler: H): this {
    return this.add('DELETE', pattern, handler);
  }

  match(method: string, path: string): RouteMatch<H> | undefined {
    const parts = split(path);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const pathParams: Record<string, string> = {};
      const ok = route.segments.every((segment, i) => {
        if (segment.startsWith(':')) {
          pathParams[segment.slice(1)] = parts[i];
          return true;
        }
        return segment === parts[i];
      });
      if (ok) return { handler: route.handler, pathParams };
    }
    return undefined;
  }
}

function split(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}
