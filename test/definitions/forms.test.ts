// validateForm: the check the API (start forms) and the workflow's Update validator (task forms)
// run on submitted data; each error names the field at fault.
import { describe, expect, it } from 'vitest';
import { validateForm } from '../../definitions/forms.ts';
import type { FormField } from '../../definitions/model.ts';

const field = (id: string, type: FormField['type'], extra: Partial<FormField> = {}): FormField => ({
  id,
  type,
  required: false,
  ...extra,
});

describe('validateForm', () => {
  it('checks presence and type', () => {
    const fields = [
      field('name', 'string', { required: true, label: 'Name' }),
      field('age', 'number'),
      field('agree', 'boolean'),
      field('born', 'date'),
      field('docs', 'array', { required: true }),
    ];
    expect(
      validateForm(fields, { name: 'Ann', age: 3, agree: false, born: '2000-01-31', docs: ['a'] }),
    ).toEqual([]);
    expect(validateForm(fields, { name: '', age: '3', agree: 'yes', born: '31.01.2000', docs: [] })).toEqual([
      { field: 'name', message: 'Name is required' },
      { field: 'age', message: 'age must be a number' },
      { field: 'agree', message: 'agree must be a boolean' },
      { field: 'born', message: 'born must be a date' },
      { field: 'docs', message: 'docs is required' },
    ]);
    expect(validateForm([field('docs', 'array')], { docs: 'a' })).toEqual([
      { field: 'docs', message: 'docs must be a list' },
    ]);
  });

  it('checks number bounds', () => {
    const fields = [field('price', 'number', { min: 1, max: 10, label: 'Price' })];
    expect(validateForm(fields, { price: 1 })).toEqual([]);
    expect(validateForm(fields, { price: 0 })).toEqual([
      { field: 'price', message: 'Price must be at least 1' },
    ]);
    expect(validateForm(fields, { price: 11 })).toEqual([
      { field: 'price', message: 'Price must be at most 10' },
    ]);
  });

  it('checks string length without surrounding spaces, and the pattern', () => {
    const fields = [field('code', 'string', { minLength: 2, maxLength: 4, pattern: '^[A-Z]+$' })];
    expect(validateForm(fields, { code: 'AB' })).toEqual([]);
    expect(validateForm(fields, { code: ' A ' }).map((e) => e.message)).toEqual([
      'code must be at least 2 characters long',
      'code must match the pattern ^[A-Z]+$',
    ]);
    expect(validateForm(fields, { code: 'ABCDE' })).toEqual([
      { field: 'code', message: 'code must be at most 4 characters long' },
    ]);
    const told = [field('iban', 'string', { pattern: '^DE', patternMessage: 'Enter a German IBAN' })];
    expect(validateForm(told, { iban: 'FR76' })).toEqual([
      { field: 'iban', message: 'iban: Enter a German IBAN' },
    ]);
  });

  it('checks options, of a value and of each item of a list', () => {
    const fields = [
      field('district', 'string', { options: ['north', 'south'] }),
      field('agree', 'boolean', { options: [true], required: true }),
      field('docs', 'array', { options: ['deed', 'id'] }),
    ];
    expect(validateForm(fields, { district: 'north', agree: true, docs: ['id'] })).toEqual([]);
    expect(validateForm(fields, { district: 'east', agree: false, docs: ['id', 'photo'] })).toEqual([
      { field: 'district', message: 'district must be one of "north", "south"' },
      { field: 'agree', message: 'agree must be true' },
      { field: 'docs', message: 'docs may only hold "deed", "id", not "photo"' },
    ]);
  });

  it('reads a dotted id as a path into nested data when no such key is given', () => {
    const fields = [field('address.city', 'string', { required: true })];
    expect(validateForm(fields, { address: { city: 'Oslo' } })).toEqual([]);
    expect(validateForm(fields, { 'address.city': 'Oslo' })).toEqual([]);
    expect(validateForm(fields, { address: 'Oslo' })).toEqual([
      { field: 'address.city', message: 'address.city is required' },
    ]);
  });

  it('does not take inherited properties for submitted values', () => {
    expect(validateForm([field('constructor', 'string', { required: true })], {})).toEqual([
      { field: 'constructor', message: 'constructor is required' },
    ]);
  });
});
