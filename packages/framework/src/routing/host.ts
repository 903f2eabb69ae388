import type { App as GatewayApp, Receive, Send } from '@portico/protocol';
import { checkOptions, checkString, describeValue, isClass } from '../arguments';
import type { ConnectionScope, RouteReverser } from '../connection';
import { NoMatchFound, withParams, type BaseRoute, type RouteMatch } from './base';
import { PathPattern } from './path-pattern';

/**
 * Route by the Host header: the pattern uses `.` between labels, so `:tenant.example.com`
 * captures the first label as a path parameter. The port is ignored.
 *
 * @example
 * new Host(':tenant.example.com', tenantApp);
 */
export class Host implements BaseRoute {
  readonly host: string;
  readonly app: GatewayApp;
  readonly name: string | undefined;
  readonly firstSegment = undefined;
  readonly pattern: PathPattern;

  constructor(host: string, app: GatewayApp, options: { name?: string } = {}) {
    if (typeof host !== 'string' || host === '') throw new TypeError(`new Host(host, app) takes a host name pattern such as ':tenant.example.com', got ${describeValue(host)}`);
    const where = `new Host('${host}', app`;
    if (typeof app !== 'function' || isClass(app)) {
      const hint = Array.isArray(app) ? `; for a list of routes pass a Router: ${where.replace(/, app$/, ', new Router({ routes }))')}` : '';
      throw new TypeError(`${where}) takes a protocol app (a function (scope, receive, send), such as an App or a Router), got ${describeValue(app)}${hint}`);
    }
    const { name } = checkOptions<{ name?: string }>(options, `${where}, options)`, { name: true });
    checkString(name, `${where}, { name })`);
    this.host = host;
    this.app = app;
    this.name = name;
    this.pattern = new PathPattern(host, { delimiter: '.' });
  }

  matches(scope: ConnectionScope): RouteMatch | null {
    let hostname = '';
    for (const [name, value] of scope.headers) {
      if (name === 'host') {
        hostname = value.replace(/:\d+$/, '').toLowerCase();
        break;
      }
    }
    const params = this.pattern.params(hostname);
    if (params === null) return null;
    return { kind: 'full', child: { pathParams: withParams(scope, params) } };
  }

  handle(scope: ConnectionScope, receive: Receive, send: Send): Promise<void> {
    return this.app(scope, receive, send);
  }

  /** The path of a route of the host's app (`'name:route'` when the Host is named); the host part is not included. */
  urlPathFor(name: string, params: Record<string, string | number>): string {
    let childName = name;
    if (this.name !== undefined) {
      if (!name.startsWith(`${this.name}:`)) throw new NoMatchFound(name, params);
      childName = name.slice(this.name.length + 1);
    }
    const reverser = this.app as Partial<RouteReverser>;
    if (typeof reverser.urlPathFor !== 'function') throw new NoMatchFound(name, params);
    const rest = Object.fromEntries(Object.entries(params).filter(([key]) => !this.pattern.paramNames.includes(key)));
    return reverser.urlPathFor(childName, rest);
  }
}
