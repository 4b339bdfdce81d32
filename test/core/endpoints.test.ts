import { inClusterEndpoint } from '../../lib/core/endpoints';

test.each<[string, unknown]>([
  ['http://orders.shop.svc:8080/v1', { namespace: 'shop', port: 8080 }],
  ['https://orders.shop.svc.cluster.local/v1', { namespace: 'shop', port: 443 }],
  ['http://kb.svc', { namespace: 'agents', port: 80 }],
  ['stock:50051', { namespace: 'agents', port: 50051 }],
  ['https://api.example.com/v1', undefined],
  ['http://localhost:8080', undefined],
  ['10.0.0.5:50051', undefined],
])('in-cluster endpoint of %s', (endpoint, expected) => {
  expect(inClusterEndpoint(endpoint, 'agents')).toEqual(expected);
});
