import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { FeatureExample } from '../release-features';
import { HttpMethod, McpTransport, SecretKey, ToolAuth, ToolHandler, ToolRegistry } from '../../lib';

/**
 * The tools of a support agent: an order API over HTTP with retries and a request and response mapping, a
 * filesystem MCP server the runtime starts itself (stdio), a client tool the user's browser answers, and
 * two backends that authenticate without a plain bearer token: basic auth from a Secret key, and a
 * ServiceAccount token bound to the backend's audience (no Secret at all).
 */
export const tools: FeatureExample = (chart: Chart): void => {
  // Created by the owner of the credentials, never written here.
  const credentials = kplus.Secret.fromSecretName(chart, 'InvoiceCredentials', 'invoice-api');

  new ToolRegistry(chart, 'Tools', {
    metadata: { name: 'support-tools' },
    handlers: [
      ToolHandler.http({
        name: 'orders',
        endpoint: 'http://orders.shop.svc.cluster.local',
        method: HttpMethod.GET,
        urlTemplate: '/orders/{{.order_id}}',
        queryParams: ['include_items'],
        staticQuery: { locale: 'en-GB' },
        responseMapping: '{status: status, delivered: delivery.date, items: items[].name}',
        redact: ['payment'],
        retryPolicy: { maxAttempts: 3, initialBackoff: Duration.millis(250), maxBackoff: Duration.seconds(5), retryOn: [429, 502, 503] },
        timeout: Duration.seconds(10),
        tool: {
          name: 'order_lookup',
          description: 'Looks an order up by its id: status, delivery date and items.',
          inputSchema: {
            type: 'object',
            properties: { order_id: { type: 'string' }, include_items: { type: 'boolean' } },
            required: ['order_id'],
          },
        },
      }),
      ToolHandler.mcpStdio({
        name: 'manuals',
        command: 'mcp-server-filesystem',
        args: ['/srv/manuals'],
        env: { LOG_LEVEL: 'warn' },
        toolFilter: { allowlist: ['read_file', 'search_files'] },
      }),
      ToolHandler.client({
        name: 'location',
        tool: { name: 'get_location', description: 'The customer\'s city, from their browser, to find the nearest store.' },
        consentMessage: 'Share your location to find the nearest store?',
        categories: ['location'],
      }),
      ToolHandler.http({
        name: 'invoices',
        endpoint: 'https://billing.example.com/api/invoices',
        method: HttpMethod.POST,
        bodyMapping: '{order: order_id}',
        retryPolicy: { maxAttempts: 2 },
        authentication: ToolAuth.basic(SecretKey.of(credentials, 'user-password')),
        tool: {
          name: 'invoice_copy',
          description: 'Emails a copy of an order\'s invoice to the customer.',
          inputSchema: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
        },
      }),
      ToolHandler.mcp({
        name: 'knowledge',
        endpoint: 'http://kb.tools.svc.cluster.local:8000/mcp',
        transport: McpTransport.STREAMABLE_HTTP,
        retryPolicy: { maxAttempts: 2 },
        authentication: ToolAuth.serviceAccountToken('kb.tools.svc'),
      }),
    ],
  });
};
