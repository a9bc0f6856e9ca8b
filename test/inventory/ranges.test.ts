import { describe, expect, it } from 'vitest';
import { expandHostRange, HostRangeError } from '../../src/inventory/host-range.js';

describe('host ranges', () => {
  it('keeps zero-padding from the begin value', () => {
    expect(expandHostRange('web[08:11].example.com')).toEqual(['web08.example.com', 'web09.example.com', 'web10.example.com', 'web11.example.com']);
  });

  it('expands letters, strides, an omitted begin, and several ranges in one name', () => {
    expect(expandHostRange('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostRange('n[1:10:3]')).toEqual(['n1', 'n4', 'n7', 'n10']);
    expect(expandHostRange('n[a:g:3]')).toEqual(['na', 'nd', 'ng']);
    expect(expandHostRange('n[:2]')).toEqual(['n0', 'n1', 'n2']);
    expect(expandHostRange('r[1:2]-u[a:b]')).toEqual(['r1-ua', 'r1-ub', 'r2-ua', 'r2-ub']);
    expect(expandHostRange('plain')).toEqual(['plain']);
  });

  it.each([
    ['web[01:]', 'must specify an end value'],
    ['web[5:1]', 'begins after it ends'],
    ['web[1:2:3:4]', 'must be [begin:end]'],
    ['web[1]', 'must be [begin:end]'],
    ['web[01:100]', 'same width'],
    ['web[1:5:0]', 'positive integer step'],
    ['web[a:3]', 'must be numeric'],
    ['web[1:3', "no closing ']'"],
  ])('rejects %s', (pattern, message) => {
    expect(() => expandHostRange(pattern)).toThrow(HostRangeError);
    expect(() => expandHostRange(pattern)).toThrow(message);
  });
});
