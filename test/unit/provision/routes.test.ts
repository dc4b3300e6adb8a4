import { describe, expect, it } from 'vitest';
import { isOwnFile, normalizePrefix, routeRequest, urlPrefix } from '../../../src/provision/routes.js';

const D785 = { mac: '000413A1B2C3', phoneType: 'snomD785', site: 'warsaw' };

describe('routeRequest: which file a path asks for', () => {
  it.each([
    ['/snom/000413A1B2C3.xml', { kind: 'settings', mac: '000413A1B2C3', file: '000413A1B2C3.xml' }],
    ['/snom/000413a1b2c3.xml', { kind: 'settings', mac: '000413A1B2C3', file: '000413A1B2C3.xml' }],
    ['/snom/000413A1B2C3.xml?model=D785', { kind: 'settings', mac: '000413A1B2C3', file: '000413A1B2C3.xml' }],
    ['/snom/snomD785-000413A1B2C3.htm', { kind: 'phone-list', phoneType: 'snomD785', mac: '000413A1B2C3', file: 'snomD785-000413A1B2C3.htm' }],
    ['/snom/snom710.htm', { kind: 'type-list', phoneType: 'snom710', file: 'snom710.htm' }],
  ])('%s', (path, route) => {
    expect(routeRequest(path, '/snom/')).toEqual(route);
  });

  it.each([
    '/snom/',
    '/snom',
    '/other/000413A1B2C3.xml',
    '/snom/../snom/000413A1B2C3.xml',
    '/snom//000413A1B2C3.xml',
    '/snom/sub/000413A1B2C3.xml',
    '/snom/%30%30%30413A1B2C3.xml',
    '/snom\\000413A1B2C3.xml',
    '/snom/000413A1B2C3.xml.bak',
    '/snom/000413A1B2C.xml',
    '/snom/.callplan-build',
    '/snom/snomD785-000413A1B2C3.xml',
    '/snom/yealinkT46-000413A1B2C3.htm',
    '/snom/model.json',
  ])('%s is no file', (path) => {
    expect(routeRequest(path, '/snom/').kind).toBe('none');
  });

  it('remembers a MAC in a path it refuses, for the log', () => {
    expect(routeRequest('/other/000413a1b2c3.cfg', '/snom/')).toEqual({ kind: 'none', mac: '000413A1B2C3' });
  });

  it('serves at the root when the prefix is /', () => {
    expect(routeRequest('/000413A1B2C3.xml', '/')).toMatchObject({ kind: 'settings' });
  });

  it('normalizes prefixes and takes the default from provisioning.url', () => {
    expect(normalizePrefix('snom')).toBe('/snom/');
    expect(normalizePrefix('/a/b')).toBe('/a/b/');
    expect(normalizePrefix('')).toBe('/');
    expect(urlPrefix('https://prov.example.pl/snom/')).toBe('/snom/');
    expect(urlPrefix('https://prov.example.pl')).toBe('/');
  });
});

describe('isOwnFile: a phone gets its settings, its list and its type list, nothing else', () => {
  it.each([
    ['/snom/000413A1B2C3.xml', true],
    ['/snom/snomD785-000413A1B2C3.htm', true],
    ['/snom/snomD785.htm', true],
    ['/snom/000413A1B2C4.xml', false],
    ['/snom/snomD785-000413A1B2C4.htm', false],
    ['/snom/snomD735-000413A1B2C3.htm', false],
    ['/snom/snomD735.htm', false],
    ['/snom/tbook-warsaw.xml', true],
    ['/snom/tbook-krakow.xml', false],
    ['/snom/tbook-../x.xml', false],
    ['/snom/nothing', false],
  ])('%s: %s', (path, own) => {
    expect(isOwnFile(routeRequest(path, '/snom/'), D785)).toBe(own);
  });
});
